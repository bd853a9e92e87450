using System.Security.Cryptography.X509Certificates;
using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests.Definitions;

public sealed class CaBundleCmdletTests : DefinitionCmdletTest
{
    private readonly TestPki _pki = TestPki.Create();
    private readonly string _dir = Directory.CreateTempSubdirectory("fhirsec-ca-").FullName;

    private PsResult Import(string pem, string extra = "")
        => Run("Import-FhirCaBundle -Name corp -Pem $pem " + extra, new Dictionary<string, object?> { ["pem"] = pem });

    [Fact]
    public void Import_from_a_file_shows_each_certificate_and_PassThru_returns_the_bundle()
    {
        string path = Path.Combine(_dir, "corp.pem");
        File.WriteAllText(path, _pki.BundlePem);

        PsResult result = RunOk($"Import-FhirCaBundle -Name corp -Path '{path}' -PassThru");

        dynamic bundle = Single(result, "FhirCaBundleInfo");
        Assert.Equal(2, (int)bundle.Count);
        Assert.Equal(_pki.Root.Subject, (string)bundle.Certificates[0].Subject);
        Assert.Equal(_pki.Root.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), (string)bundle.Certificates[0].Sha256Fingerprint);
        Assert.Equal(2, result.Information.Count);
        string shown = string.Join("\n", result.Information.Select(i => i.MessageData.ToString()));
        Assert.Contains(_pki.Intermediate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), shown);
        Assert.Contains("expires", shown);
        Assert.Contains("BEGIN CERTIFICATE", StoredDocument("FhirSecurity-CaBundle-corp"));
    }

    [Fact]
    public void Import_from_text_and_Get_lists_the_certificates()
    {
        Assert.Empty(Import(_pki.RootPem).Errors);

        dynamic bundle = Single(RunOk("Get-FhirCaBundle corp"), "FhirCaBundleInfo");

        Assert.Equal(1, (int)bundle.Count);
        Assert.True((bool)bundle.Certificates[0].IsRoot);
    }

    [Fact]
    public void Missing_file_is_CaBundleFileNotFound()
        => AssertError(Run($"Import-FhirCaBundle -Name corp -Path '{Path.Combine(_dir, "nope.pem")}'"), "CaBundleFileNotFound", "Import-FhirCaBundle");

    [Fact]
    public void Private_key_is_refused_and_nothing_is_written()
    {
        string key = _pki.Intermediate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem();

        AssertError(Import(_pki.RootPem + key), "CaBundleContainsPrivateKey", "Import-FhirCaBundle");
        Assert.Empty(TestVaults.Snapshot(DefaultVault));
    }

    [Fact]
    public void Server_certificate_is_refused_as_not_a_CA()
        => AssertError(Import(TestPki.ToPem([_pki.ServerCertificate])), "CaBundleCertificateNotCa", "Import-FhirCaBundle");

    [Fact]
    public void Empty_and_broken_bundles_are_refused()
    {
        AssertError(Import("no certificates here"), "CaBundleEmpty", "Import-FhirCaBundle");
        AssertError(Import("-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n"), "CaBundleInvalidPem", "Import-FhirCaBundle");
        Assert.Empty(TestVaults.Snapshot(DefaultVault));
    }

    [Fact]
    public void Expired_CA_is_refused_and_one_expiring_soon_is_imported_with_a_warning()
    {
        using X509Certificate2 expired = TestPki.CreateCaCertificate("CN=Old CA", DateTimeOffset.UtcNow.AddYears(-2), DateTimeOffset.UtcNow.AddDays(-1));
        using X509Certificate2 soon = TestPki.CreateCaCertificate("CN=Soon CA", DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddDays(5));

        AssertError(Import(TestPki.ToPem([expired])), "CaBundleCertificateExpired", "Import-FhirCaBundle");
        PsResult warned = Import(TestPki.ToPem([soon]));

        Assert.Empty(warned.Errors);
        Assert.Contains("CN=Soon CA", Assert.Single(warned.Warnings).Message);
    }

    [Fact]
    public void Taken_name_needs_Force()
    {
        Import(_pki.RootPem);

        AssertError(Import(_pki.BundlePem), "DefinitionAlreadyExists", "Import-FhirCaBundle");
        Assert.Empty(Import(_pki.BundlePem, "-Force").Errors);
        Assert.Equal(2, (int)Single(RunOk("Get-FhirCaBundle corp"), "FhirCaBundleInfo").Count);
    }

    [Fact]
    public void Set_replaces_the_certificates_and_checks_them_first()
    {
        Import(_pki.RootPem);
        VaultSnapshot before = TestVaults.Snapshot(DefaultVault);

        AssertError(Run("Set-FhirCaBundle corp -Pem $pem", new Dictionary<string, object?> { ["pem"] = TestPki.ToPem([_pki.ServerCertificate]) }), "CaBundleCertificateNotCa", "Set-FhirCaBundle");
        Assert.Equal(before, TestVaults.Snapshot(DefaultVault));

        dynamic bundle = Single(Run("Set-FhirCaBundle corp -Pem $pem -PassThru", new Dictionary<string, object?> { ["pem"] = _pki.BundlePem }), "FhirCaBundleInfo");
        Assert.Equal(2, (int)bundle.Count);
        Assert.Equal(2, (int)bundle.Revision);
    }

    [Fact]
    public void Connection_with_a_bundle_uses_CustomBundle_and_the_bundle_cannot_be_removed_under_it()
    {
        Import(_pki.BundlePem);

        dynamic connection = Single(RunOk("New-FhirConnection -Name internal -BaseUri https://fhir.corp.example -CaBundle corp -PassThru"), "FhirConnectionInfo");

        Assert.Equal("CustomBundle", connection.TlsValidation.ToString());
        AssertError(Run("Remove-FhirCaBundle corp -Confirm:$false"), "DefinitionInUse", "Remove-FhirCaBundle");
        dynamic relaxed = Single(RunOk("Set-FhirConnection internal -TlsValidation Default -PassThru"), "FhirConnectionInfo");
        Assert.Null((string?)relaxed.CaBundle);
        RunOk("Remove-FhirCaBundle corp -Confirm:$false");
    }

    [Fact]
    public void Format_view_lists_name_count_and_expiry()
    {
        Import(_pki.BundlePem);

        string text = Session.RunFormatted("Get-FhirCaBundle");

        Assert.Contains("corp", text);
        Assert.Contains("NotAfter", text);
    }

    protected override void Cleanup()
    {
        _pki.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}

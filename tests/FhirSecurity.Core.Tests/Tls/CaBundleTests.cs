using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Tls;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Core.Tests.Tls;

public sealed class CaBundleTests : IDisposable
{
    private readonly TestPki _pki = TestPki.Create();

    [Fact]
    public void Root_and_intermediate_parse_with_subject_fingerprint_and_expiry()
    {
        CaBundle bundle = CaBundle.Parse(_pki.BundlePem, DateTimeOffset.UtcNow, "test");

        Assert.Equal(2, bundle.Certificates.Count);
        CaCertificate root = bundle.Certificates[0];
        Assert.Equal(_pki.Root.Subject, root.Subject);
        Assert.True(root.IsRoot);
        Assert.False(bundle.Certificates[1].IsRoot);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(_pki.Root.RawData)), root.Sha256Fingerprint);
        Assert.Equal(_pki.Root.NotAfter.ToUniversalTime(), root.NotAfter.UtcDateTime);
        Assert.Empty(bundle.Warnings);
        Assert.Equal(2, bundle.ToCollection().Count);
    }

    [Fact]
    public void Stored_pem_is_certificates_only()
    {
        CaBundle bundle = CaBundle.Parse("# corp CA, from the wiki\n" + _pki.RootPem, DateTimeOffset.UtcNow, "test");

        Assert.StartsWith("-----BEGIN CERTIFICATE-----", bundle.Pem);
        Assert.DoesNotContain("wiki", bundle.Pem);
    }

    [Fact]
    public void Private_key_is_refused()
    {
        string key = _pki.Intermediate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem();

        AssertRefused(ErrorIds.CaBundleContainsPrivateKey, _pki.RootPem + key);
    }

    [Fact]
    public void Server_certificate_is_not_a_CA() => AssertRefused(ErrorIds.CaBundleCertificateNotCa, TestPki.ToPem([_pki.ServerCertificate]));

    [Theory]
    [InlineData("")]
    [InlineData("just some text")]
    public void Bundle_without_certificates_is_empty(string pem) => AssertRefused(ErrorIds.CaBundleEmpty, pem);

    [Fact]
    public void Damaged_base64_is_invalid_pem()
        => AssertRefused(ErrorIds.CaBundleInvalidPem, "-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n");

    [Fact]
    public void A_damaged_block_next_to_a_good_one_is_refused_not_dropped()
        => AssertRefused(ErrorIds.CaBundleInvalidPem, _pki.RootPem + "-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n");

    [Fact]
    public void Other_pem_blocks_are_refused()
        => AssertRefused(ErrorIds.CaBundleInvalidPem, _pki.RootPem + "-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n");

    [Fact]
    public void Expired_CA_is_refused()
    {
        using var expired = TestPki.CreateCaCertificate("CN=Old CA", DateTimeOffset.UtcNow.AddYears(-2), DateTimeOffset.UtcNow.AddDays(-1));

        AssertRefused(ErrorIds.CaBundleCertificateExpired, TestPki.ToPem([expired]));
    }

    [Fact]
    public void CA_expiring_within_30_days_is_accepted_with_a_warning()
    {
        using var soon = TestPki.CreateCaCertificate("CN=Soon CA", DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddDays(10));

        CaBundle bundle = CaBundle.Parse(TestPki.ToPem([soon]), DateTimeOffset.UtcNow, "test");

        Assert.Contains("CN=Soon CA", Assert.Single(bundle.Warnings));
    }

    [Fact]
    public void Load_reads_a_stored_bundle_that_has_since_expired()
    {
        using var expired = TestPki.CreateCaCertificate("CN=Old CA", DateTimeOffset.UtcNow.AddYears(-2), DateTimeOffset.UtcNow.AddDays(-1));

        Assert.Single(CaBundle.Load(TestPki.ToPem([expired]), "stored").Certificates);
    }

    private static void AssertRefused(string errorId, string pem)
    {
        var ex = Assert.Throws<FhirSecurityException>(() => CaBundle.Parse(pem, DateTimeOffset.UtcNow, "test"));
        Assert.Equal(errorId, ex.ErrorId);
    }

    public void Dispose() => _pki.Dispose();
}

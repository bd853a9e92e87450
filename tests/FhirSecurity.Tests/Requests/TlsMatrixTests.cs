using System.Management.Automation;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Tests.Requests;

/// <summary>
/// Server certificates made in the test, each against Default, CustomBundle and Skip; the minimum TLS version; the
/// revocation modes. Every call is a POST with a body, so "nothing sent" is checked on the server's counters.
/// </summary>
public sealed class TlsMatrixTests : ServerTest
{
    private const string Post = "Invoke-FhirRequest c Patient -Method POST -Body @{ resourceType = 'Patient'; name = @(@{ family = 'Matrix' }) } -WarningAction SilentlyContinue";

    // The test CA is in no system trust store, so Default refuses every variant; what it names depends on the case.
    private const string Untrusted = "not trusted by the system trust store: .*(UntrustedRoot|PartialChain)";
    private const string NotInBundle = "does not chain to the CA bundle: .*(UntrustedRoot|PartialChain)";
    private const string WrongHost = @"the certificate is for 'fhir\.example\.org, 192\.0\.2\.10', not for the host '127\.0\.0\.1'";

    /// <summary>Certificate variant, validation mode, and the refusal reason (a regex), or null when the call must work.</summary>
    public static TheoryData<string, string, string?> Matrix => new()
    {
        { "Valid", "Default", Untrusted },
        { "Valid", "CustomBundle", null },
        { "Valid", "Skip", null },
        { "ValidRootOnlyBundle", "CustomBundle", null },
        { "Expired", "Default", "not trusted by the system trust store: .*NotTimeValid" },
        { "Expired", "CustomBundle", "does not chain to the CA bundle: .*NotTimeValid" },
        { "Expired", "Skip", null },
        { "NotYetValid", "Default", "not trusted by the system trust store: .*NotTimeValid" },
        { "NotYetValid", "CustomBundle", "does not chain to the CA bundle: .*NotTimeValid" },
        { "NotYetValid", "Skip", null },
        { "WrongHost", "Default", WrongHost },
        { "WrongHost", "CustomBundle", WrongHost },
        { "WrongHost", "Skip", null },
        { "SelfSigned", "Default", Untrusted },
        { "SelfSigned", "CustomBundle", NotInBundle },
        { "SelfSigned", "Skip", null },
        { "UnrelatedCa", "Default", Untrusted },
        { "UnrelatedCa", "CustomBundle", NotInBundle },
        { "UnrelatedCa", "Skip", null },
        { "LeafAloneRootOnlyBundle", "Default", Untrusted },
        { "LeafAloneRootOnlyBundle", "CustomBundle", "does not chain to the CA bundle: .*PartialChain" },
        { "LeafAloneRootOnlyBundle", "Skip", null },
        { "LeafAloneFullBundle", "CustomBundle", null },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void Certificate_variants_against_each_validation_mode(string variant, string mode, string? refusal)
    {
        (X509Certificate2 certificate, X509Certificate2Collection? chain, string bundle) = Variant(variant);
        Server.SetServerCertificate(certificate, chain);
        NewConnection(mode, bundle);

        PsResult result = Run(Post, VarsWith(bundle));

        if (refusal is null)
        {
            Assert.True(result.Errors.Count == 0, "Unexpected errors: " + string.Join(" | ", result.Errors.Select(e => e.ToString())));
            Assert.Equal(1, Server.Counters.Creates);
            return;
        }

        ErrorRecord error = AssertError(result, "TlsValidationFailed", "Invoke-FhirRequest");
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Contains($"({mode} validation)", error.Exception.Message, StringComparison.Ordinal);
        Assert.Matches(refusal, error.Exception.Message);
        Assert.Contains("Nothing was sent", error.Exception.Message, StringComparison.Ordinal);
        AssertNothingSent(Server);
    }

    [Fact]
    public void Minimum_13_against_a_server_that_offers_only_12_is_TlsProtocolMismatch_and_sends_nothing()
    {
        using var server = StartServer(SslProtocols.Tls12);
        ImportCa();
        RunWithOk("New-FhirConnection -Name c -BaseUri $base -CaBundle testca -MinimumTlsVersion 1.3".Replace("$base", "'" + server.Value.OpenBase + "'"));

        PsResult result = Run(Post, Vars);

        ErrorRecord error = AssertError(result, "TlsProtocolMismatch", "Invoke-FhirRequest");
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Contains("requires TLS 1.3", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("-MinimumTlsVersion 1.2", error.Exception.Message, StringComparison.Ordinal);
        AssertNothingSent(server.Value);
    }

    [Theory]
    [InlineData(SslProtocols.Tls12, "1.2", SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13, "1.2", SslProtocols.Tls13)]
    [InlineData(SslProtocols.None, "1.2", SslProtocols.Tls13)]
    [InlineData(SslProtocols.None, "1.3", SslProtocols.Tls13)]
    [InlineData(SslProtocols.Tls13, "1.3", SslProtocols.Tls13)]
    public void The_negotiated_protocol_is_at_least_the_minimum(SslProtocols serverOffers, string minimum, SslProtocols negotiated)
    {
        using var server = StartServer(serverOffers == SslProtocols.None ? null : serverOffers);
        ImportCa();
        RunWithOk($"New-FhirConnection -Name c -BaseUri '{server.Value.OpenBase}' -CaBundle testca -MinimumTlsVersion {minimum}");

        RunWithOk(Post);

        Assert.Equal(1, server.Value.Counters.Creates);
        Assert.Equal(negotiated, server.Value.LastTlsProtocol);
    }

    [Theory]
    [InlineData("Online")]
    [InlineData("Offline")]
    public void Revocation_check_against_a_CA_without_CRLs_is_TlsRevocationUnknown_with_advice(string revocation)
    {
        // The test PKI publishes no CRL distribution point or OCSP responder, like many internal CAs.
        ImportCa();
        RunWithOk($"New-FhirConnection -Name c -BaseUri $openBase -CaBundle testca -RevocationMode {revocation}");

        PsResult result = RunWith(Post);

        ErrorRecord error = AssertError(result, "TlsRevocationUnknown", "Invoke-FhirRequest");
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Contains($"-RevocationMode {revocation}", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("revocation status", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("RevocationStatusUnknown", error.Exception.Message, StringComparison.Ordinal);
        Assert.Contains("-RevocationMode NoCheck", error.Exception.Message, StringComparison.Ordinal);
        AssertNothingSent(Server);
    }

    [Fact]
    public void NoCheck_works_and_switching_to_it_takes_effect_on_the_next_request()
    {
        ImportCa();
        RunWithOk("New-FhirConnection -Name c -BaseUri $openBase -CaBundle testca -RevocationMode Online");
        AssertError(RunWith(Post), "TlsRevocationUnknown", "Invoke-FhirRequest");

        RunWithOk("Set-FhirConnection c -RevocationMode NoCheck");
        RunWithOk(Post);

        Assert.Equal(1, Server.Counters.Creates);
    }

    [Fact]
    public void An_expired_certificate_is_refused_as_expired_even_when_revocation_is_unknown_too()
    {
        ImportCa();
        Server.SetServerCertificate(Server.Pki.IssueServerCertificate(CertificateOptions.Expired));
        RunWithOk("New-FhirConnection -Name c -BaseUri $openBase -CaBundle testca -RevocationMode Online");

        ErrorRecord error = AssertError(RunWith(Post), "TlsValidationFailed", "Invoke-FhirRequest");

        Assert.Contains("NotTimeValid", error.Exception.Message, StringComparison.Ordinal);
        AssertNothingSent(Server);
    }

    [Fact]
    public void Default_with_online_revocation_refuses_an_untrusted_chain_as_untrusted()
    {
        RunWithOk("New-FhirConnection -Name c -BaseUri $openBase -RevocationMode Online");

        ErrorRecord error = AssertError(RunWith(Post), "TlsValidationFailed", "Invoke-FhirRequest");

        Assert.Contains("not trusted by the system trust store", error.Exception.Message, StringComparison.Ordinal);
        AssertNothingSent(Server);
    }

    private static void AssertNothingSent(FhirTestServer server)
    {
        Assert.Equal(0, server.Counters.TotalRequests);
        Assert.Equal(0, server.Counters.Creates);
    }

    private (X509Certificate2 Certificate, X509Certificate2Collection? Chain, string Bundle) Variant(string variant)
    {
        TestPki pki = Server.Pki;
        return variant switch
        {
            "Valid" => (pki.IssueServerCertificate(), null, pki.BundlePem),
            // The server sends its intermediate, so a bundle with the root alone is enough.
            "ValidRootOnlyBundle" => (pki.IssueServerCertificate(), null, pki.RootPem),
            "Expired" => (pki.IssueServerCertificate(CertificateOptions.Expired), null, pki.BundlePem),
            "NotYetValid" => (pki.IssueServerCertificate(CertificateOptions.NotYetValid), null, pki.BundlePem),
            "WrongHost" => (pki.IssueServerCertificate(CertificateOptions.WrongHost), null, pki.BundlePem),
            "SelfSigned" => (pki.IssueServerCertificate(CertificateOptions.SelfSigned), null, pki.BundlePem),
            "UnrelatedCa" => (pki.IssueServerCertificate(CertificateOptions.UnrelatedCa), null, pki.BundlePem),
            // The server sends the leaf without its intermediate: only a bundle that holds the intermediate helps.
            "LeafAloneRootOnlyBundle" => (pki.IssueServerCertificate(), [], pki.RootPem),
            "LeafAloneFullBundle" => (pki.IssueServerCertificate(), [], pki.BundlePem),
            _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "Unknown certificate variant."),
        };
    }

    private void NewConnection(string mode, string bundle)
    {
        string tls = mode switch
        {
            "CustomBundle" => "Import-FhirCaBundle -Name ca -Pem $bundle; New-FhirConnection -Name c -BaseUri $openBase -CaBundle ca",
            "Skip" => "New-FhirConnection -Name c -BaseUri $openBase -TlsValidation Skip",
            _ => "New-FhirConnection -Name c -BaseUri $openBase",
        };
        PsResult result = Run(tls, VarsWith(bundle));
        Assert.True(result.Errors.Count == 0, "Unexpected errors: " + string.Join(" | ", result.Errors.Select(e => e.ToString())));
    }

    private Dictionary<string, object?> VarsWith(string bundle)
    {
        Dictionary<string, object?> vars = Vars;
        vars["bundle"] = bundle;
        return vars;
    }

    /// <summary>A second server from the same PKI that offers only <paramref name="protocols"/>.</summary>
    private ServerLease StartServer(SslProtocols? protocols)
        => new(FhirTestServer.StartAsync(new FhirTestServerOptions { Pki = Server.Pki, SeedPatientCount = 0, ServerSslProtocols = protocols }).GetAwaiter().GetResult());

    private sealed class ServerLease(FhirTestServer server) : IDisposable
    {
        public FhirTestServer Value => server;

        public void Dispose() => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}

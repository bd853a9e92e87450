using System.Security.Cryptography.X509Certificates;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Secrets;
using FhirSecurity.Core.Tests.Http;
using FhirSecurity.Core.Tls;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Core.Tests.Tls;

/// <summary>Import checks for client certificates: every accepted input form, and every refusal with its own id.</summary>
public sealed class ClientCertificateReaderTests : IClassFixture<SharedPki>, IDisposable
{
    private const string Password = "pfx-canary-7Q";
    private readonly TestPki _pki;
    private readonly string _dir = Directory.CreateTempSubdirectory("fhirsec-clientcert-").FullName;

    public ClientCertificateReaderTests(SharedPki shared) => _pki = shared.Pki;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Write(string name, string text) => Write(name, System.Text.Encoding.ASCII.GetBytes(text));

    private static ClientCertificateImport Read(string path, string? key = null, string? password = null)
        => ClientCertificateReader.Read(path, key, password is null ? null : new SecretValue(password), DateTimeOffset.UtcNow);

    private static void AssertRefused(string id, Action read)
    {
        var ex = Assert.Throws<FhirSecurityException>(read);
        Assert.Equal(id, ex.ErrorId);
        Assert.DoesNotContain(Password, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptsEveryInputFormAndStoresALoadablePasswordlessPkcs12()
    {
        using X509Certificate2 issued = _pki.IssueClientCertificate("CN=forms");
        string pem = TestPki.ExportCertificatePem(issued);
        ClientCertificateImport[] imports =
        [
            Read(Write("plain.pfx", TestPki.ExportPfx(issued))),
            Read(Write("locked.pfx", TestPki.ExportPfx(issued, Password)), password: Password),
            Read(Write("both.pem", pem + TestPki.ExportKeyPem(issued))),
            Read(Write("cert.pem", pem), Write("key.pem", TestPki.ExportKeyPem(issued))),
            Read(Write("cert2.pem", pem), Write("key.enc.pem", TestPki.ExportKeyPem(issued, Password)), Password),
        ];

        foreach (ClientCertificateImport import in imports)
        {
            Assert.Equal("CN=forms", import.Certificate.Subject);
            Assert.Equal(issued.Thumbprint, import.Certificate.Thumbprint);
            Assert.Empty(import.Warnings);
            Assert.DoesNotContain(import.Certificate.Pkcs12.Reveal(), import.Certificate.ToString(), StringComparison.Ordinal);
            ClientCertificate stored = ClientCertificate.FromStored(import.Certificate.Pkcs12.Reveal(), why => new InvalidOperationException(why));
            Assert.NotNull(stored.CreateContext().TargetCertificate);
        }
    }

    [Fact]
    public void CertificateWithoutEkuIsAcceptedAndOneExpiringSoonWarns()
    {
        using X509Certificate2 noEku = _pki.IssueClientCertificate(CertificateOptions.ClientWithoutEku);
        Assert.Empty(Read(Write("noeku.pfx", TestPki.ExportPfx(noEku))).Warnings);

        using X509Certificate2 soon = _pki.IssueClientCertificate(CertificateOptions.Client with { NotAfter = DateTimeOffset.UtcNow.AddDays(5) });
        Assert.Contains("expires on", Assert.Single(Read(Write("soon.pfx", TestPki.ExportPfx(soon))).Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryRefusalHasItsOwnId()
    {
        using X509Certificate2 issued = _pki.IssueClientCertificate("CN=refusals");
        using X509Certificate2 other = _pki.IssueClientCertificate("CN=other");
        using X509Certificate2 expired = _pki.IssueClientCertificate(CertificateOptions.ClientExpired);
        using X509Certificate2 future = _pki.IssueClientCertificate(CertificateOptions.NotYetValid with { Usage = CertificateUsage.Client });
        using X509Certificate2 serverOnly = _pki.IssueClientCertificate(CertificateOptions.ClientServerAuthOnly);
        string pem = TestPki.ExportCertificatePem(issued);

        AssertRefused(ErrorIds.ClientCertificateFileNotFound, () => Read(Path.Combine(_dir, "missing.pfx")));
        AssertRefused(ErrorIds.ClientCertificateUnreadable, () => Read(Write("junk.bin", "not a certificate at all")));
        AssertRefused(ErrorIds.ClientCertificateNoPrivateKey, () => Read(Write("nokey.pem", pem)));
        AssertRefused(ErrorIds.ClientCertificateNoPrivateKey, () => Read(Write("nokey.pfx", issued.Export(X509ContentType.Cert))));
        AssertRefused(ErrorIds.ClientCertificateKeyMismatch, () => Read(Write("c.pem", pem), Write("otherkey.pem", TestPki.ExportKeyPem(other))));
        AssertRefused(ErrorIds.ClientCertificatePasswordInvalid, () => Read(Write("locked.pfx", TestPki.ExportPfx(issued, Password)), password: "wrong"));
        AssertRefused(ErrorIds.ClientCertificatePasswordInvalid, () => Read(Write("locked2.pfx", TestPki.ExportPfx(issued, Password))));
        AssertRefused(ErrorIds.ClientCertificatePasswordInvalid, () => Read(Write("c2.pem", pem), Write("k.enc.pem", TestPki.ExportKeyPem(issued, Password)), "wrong"));
        AssertRefused(ErrorIds.ClientCertificatePasswordInvalid, () => Read(Write("c3.pem", pem), Write("k2.enc.pem", TestPki.ExportKeyPem(issued, Password))));
        AssertRefused(ErrorIds.ClientCertificateExpired, () => Read(Write("expired.pfx", TestPki.ExportPfx(expired))));
        AssertRefused(ErrorIds.ClientCertificateNotYetValid, () => Read(Write("future.pfx", TestPki.ExportPfx(future))));
        AssertRefused(ErrorIds.ClientCertificateUsageInvalid, () => Read(Write("server.pfx", TestPki.ExportPfx(serverOnly))));
    }

    [Fact]
    public void ConnectionDocumentKeepsCertificateAndProxyAndReadsOldDocumentsAsDefaults()
    {
        using X509Certificate2 issued = _pki.IssueClientCertificate("CN=document");
        ClientCertificate certificate = Read(Write("doc.pfx", TestPki.ExportPfx(issued))).Certificate;
        var connection = new ConnectionDefinition
        {
            Name = "doc",
            BaseUri = new Uri("https://fhir.example.org/"),
            ClientCertificate = certificate,
            Proxy = ProxySettings.Explicit(new Uri("http://proxy.example.org:3128/"), "puser", new SecretValue("proxy-canary")),
        };
        var read = (ConnectionDefinition)DefinitionDocument.Deserialize(DefinitionDocument.Serialize(connection), DefinitionKind.Connection, "s");
        Assert.Equal(certificate.Thumbprint, read.ClientCertificate?.Thumbprint);
        Assert.Equal(certificate.Fingerprint, read.ClientCertificate?.Fingerprint);
        Assert.Equal(ProxyMode.Explicit, read.Proxy.Mode);
        Assert.Equal("puser", read.Proxy.UserName);
        Assert.Equal("proxy-canary", read.Proxy.Password?.Reveal());
        Assert.DoesNotContain("proxy-canary", read.ToString(), StringComparison.Ordinal);

        var old = (ConnectionDefinition)DefinitionDocument.Deserialize(
            DefinitionDocument.Serialize(connection with { ClientCertificate = null, Proxy = ProxySettings.System }).Replace(",\"proxyMode\":\"System\"", string.Empty, StringComparison.Ordinal),
            DefinitionKind.Connection,
            "s");
        Assert.Null(old.ClientCertificate);
        Assert.Equal(ProxyMode.System, old.Proxy.Mode);
    }

    [Theory]
    [InlineData("https://proxy.example.org:3128/")]
    [InlineData("http://user:pw@proxy.example.org:3128/")]
    [InlineData("http://proxy.example.org:3128/path")]
    [InlineData("socks5://proxy.example.org:1080/")]
    public void ProxyMustBeAPlainHttpUrl(string url)
    {
        var connection = new ConnectionDefinition { Name = "p", BaseUri = new Uri("https://fhir.example.org/"), Proxy = ProxySettings.Explicit(new Uri(url)) };
        var ex = Assert.Throws<FhirSecurityException>(connection.Validate);
        Assert.Equal(ErrorIds.ConnectionProxyUriInvalid, ex.ErrorId);
        Assert.DoesNotContain("pw", ex.Message.Replace("proxy", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }
}

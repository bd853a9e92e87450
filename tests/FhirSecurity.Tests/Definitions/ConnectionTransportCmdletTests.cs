using System.Security.Cryptography.X509Certificates;
using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests.Definitions;

/// <summary>
/// -ClientCertificatePath and the proxy parameters of New-/Set-FhirConnection: every accepted certificate form,
/// every refusal leaving the vault as it was, proxy combinations, the view, and canaries for the PFX password,
/// the key and the proxy password.
/// </summary>
public sealed class ConnectionTransportCmdletTests : DefinitionCmdletTest
{
    private const string PfxPassword = "CanaryPfxPw-93be";
    private const string ProxyPassword = "CanaryProxyPw-5c1f";
    private readonly string _dir = Directory.CreateTempSubdirectory("fhirsec-conn-transport-").FullName;
    private readonly X509Certificate2 _client;

    public ConnectionTransportCmdletTests() => _client = Pki.IssueClientCertificate("CN=runbook");

    private TestPki Pki { get; } = TestPki.Create(name: "Transport");

    // The key's PEM body lines: if any shows up anywhere, key material leaked.
    private IEnumerable<string> KeyCanaries
        => TestPki.ExportKeyPem(_client).Split('\n').Where(l => l.Length > 40 && !l.StartsWith("-----", StringComparison.Ordinal));

    private string File(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    private string File(string name, string text) => File(name, System.Text.Encoding.ASCII.GetBytes(text));

    private string New(string name, string extra) => $"New-FhirConnection -Name {name} -BaseUri https://fhir.example.org/r4 {extra}";

    [Fact]
    public void Every_certificate_form_is_imported_and_shown_without_secrets()
    {
        string pem = TestPki.ExportCertificatePem(_client);
        File("plain.pfx", TestPki.ExportPfx(_client));
        File("locked.pfx", TestPki.ExportPfx(_client, PfxPassword));
        File("both.pem", pem + TestPki.ExportKeyPem(_client));
        File("cert.pem", pem);
        File("key.pem", TestPki.ExportKeyPem(_client));
        File("key.enc.pem", TestPki.ExportKeyPem(_client, PfxPassword));
        var runs = new List<PsResult>
        {
            // Relative paths resolve against the PowerShell location, not the process's working directory.
            RunOk($"$ExecutionContext.SessionState.Path.SetLocation('{_dir}') | Out-Null; " + New("c1", "-ClientCertificatePath plain.pfx -PassThru -Verbose")),
            RunOk(New("c2", $"-ClientCertificatePath locked.pfx -ClientCertificatePassword ({Secure(PfxPassword)}) -PassThru -Verbose")),
            RunOk(New("c3", "-ClientCertificatePath both.pem -PassThru")),
            RunOk(New("c4", "-ClientCertificatePath cert.pem -ClientCertificateKeyPath key.pem -PassThru")),
            RunOk(New("c5", $"-ClientCertificatePath cert.pem -ClientCertificateKeyPath key.enc.pem -ClientCertificatePassword ({Secure(PfxPassword)}) -PassThru")),
        };
        foreach (PsResult run in runs)
        {
            dynamic view = Single(run, "FhirConnectionInfo");
            Assert.Equal("CN=runbook", (string)view.ClientCertificateSubject);
            Assert.Equal(_client.Thumbprint, (string)view.ClientCertificateThumbprint);
            Assert.Equal(_client.NotAfter.ToUniversalTime(), ((DateTimeOffset)view.ClientCertificateNotAfter).UtcDateTime, TimeSpan.FromSeconds(1));
        }

        runs.Add(RunOk("Get-FhirConnection -Verbose -Debug"));
        string formatted = Session.RunFormatted("Get-FhirConnection; Get-FhirConnection | ForEach-Object { $_.PSObject.Properties | ForEach-Object { \"$($_.Name)=$($_.Value)\" } }");
        Assert.Contains("ClientCertificateThumbprint=" + _client.Thumbprint, formatted, StringComparison.Ordinal);
        string document = StoredDocument("FhirSecurity-Connection-c2");
        Assert.DoesNotContain(PfxPassword, document, StringComparison.Ordinal);
        foreach (string canary in KeyCanaries.Append(PfxPassword))
        {
            Assert.All(runs, r => Assert.DoesNotContain(canary, r.AllText()));
            Assert.DoesNotContain(canary, formatted);
        }
    }

    [Fact]
    public void Every_refusal_has_its_id_and_leaves_the_vault_as_it_was()
    {
        using X509Certificate2 other = Pki.IssueClientCertificate("CN=other");
        using X509Certificate2 expired = Pki.IssueClientCertificate(CertificateOptions.ClientExpired);
        using X509Certificate2 serverOnly = Pki.IssueClientCertificate(CertificateOptions.ClientServerAuthOnly);
        string pem = File("cert.pem", TestPki.ExportCertificatePem(_client));
        var cases = new (string Arguments, string Id)[]
        {
            ($"-ClientCertificatePath '{pem}'", "ClientCertificateNoPrivateKey"),
            ($"-ClientCertificatePath '{pem}' -ClientCertificateKeyPath '{File("other.key", TestPki.ExportKeyPem(other))}'", "ClientCertificateKeyMismatch"),
            ($"-ClientCertificatePath '{File("expired.pfx", TestPki.ExportPfx(expired))}'", "ClientCertificateExpired"),
            ($"-ClientCertificatePath '{File("server.pfx", TestPki.ExportPfx(serverOnly))}'", "ClientCertificateUsageInvalid"),
            ($"-ClientCertificatePath '{File("locked.pfx", TestPki.ExportPfx(_client, PfxPassword))}' -ClientCertificatePassword ({Secure("CanaryWrongPw-1")})", "ClientCertificatePasswordInvalid"),
            ($"-ClientCertificatePath '{Path.Combine(_dir, "missing.pfx")}'", "ClientCertificateFileNotFound"),
            ($"-ClientCertificateKeyPath '{pem}'", "ConnectionClientCertificateConflict"),
            ("-Proxy https://proxy.example.org:3128", "ConnectionProxyUriInvalid"),
            ("-Proxy http://proxy.example.org:3128 -NoProxy", "ConnectionProxyConflict"),
            ($"-ProxyCredential {Credential("u", ProxyPassword)}", "ConnectionProxyConflict"),
        };

        RunOk(New("keep", "-NoProxy"));
        var before = TestVaults.Snapshot(DefaultVault);
        var runs = new List<PsResult>();
        foreach ((string arguments, string id) in cases)
        {
            PsResult created = Run(New("fresh", arguments));
            Assert.True(created.Errors.Count == 1, $"New-FhirConnection {arguments}: {string.Join(" | ", created.ErrorIds)}");
            AssertError(created, id, "New-FhirConnection");
            PsResult changed = Run($"Set-FhirConnection -Name keep {arguments}");
            Assert.True(changed.Errors.Count == 1, $"Set-FhirConnection {arguments}: {string.Join(" | ", changed.ErrorIds)}");
            AssertError(changed, id, "Set-FhirConnection");
            runs.Add(created);
            runs.Add(changed);
            Assert.Equal(before, TestVaults.Snapshot(DefaultVault));
        }

        AssertError(Run($"Set-FhirConnection -Name keep -NoClientCertificate -ClientCertificatePath '{pem}'"), "ConnectionClientCertificateConflict", "Set-FhirConnection");
        AssertError(Run("Set-FhirConnection -Name keep -SystemProxy -NoProxy"), "ConnectionProxyConflict", "Set-FhirConnection");
        AssertError(Run($"Set-FhirConnection -Name keep -NoProxy -ProxyCredential {Credential("u", ProxyPassword)}"), "ConnectionProxyConflict", "Set-FhirConnection");
        Assert.Equal(before, TestVaults.Snapshot(DefaultVault));
        foreach (string canary in new[] { PfxPassword, ProxyPassword, "CanaryWrongPw-1" })
        {
            Assert.All(runs, r => Assert.DoesNotContain(canary, r.AllText()));
        }
    }

    [Fact]
    public void Proxy_settings_change_as_asked_and_the_password_never_shows()
    {
        var runs = new List<PsResult>
        {
            RunOk(New("p", $"-Proxy http://proxy.example.org:3128 -ProxyCredential {Credential("puser", ProxyPassword)} -PassThru -Verbose")),
        };
        dynamic view = Single(runs[0], "FhirConnectionInfo");
        Assert.Equal("Explicit", (string)view.ProxyMode);
        Assert.Equal(new Uri("http://proxy.example.org:3128/"), (Uri)view.Proxy);
        Assert.Equal("puser", (string)view.ProxyUserName);
        Assert.Contains(ProxyPassword, StoredDocument("FhirSecurity-Connection-p"), StringComparison.Ordinal);

        // A new proxy URL drops credentials meant for the old one.
        runs.Add(RunOk("Set-FhirConnection -Name p -Proxy http://other-proxy.example.org:8080 -PassThru"));
        view = Single(runs[^1], "FhirConnectionInfo");
        Assert.Null((string?)view.ProxyUserName);
        Assert.DoesNotContain(ProxyPassword, StoredDocument("FhirSecurity-Connection-p"), StringComparison.Ordinal);

        runs.Add(RunOk($"Set-FhirConnection -Name p -ProxyCredential {Credential("puser2", ProxyPassword)} -PassThru"));
        view = Single(runs[^1], "FhirConnectionInfo");
        Assert.Equal("puser2", (string)view.ProxyUserName);
        Assert.Equal(new Uri("http://other-proxy.example.org:8080/"), (Uri)view.Proxy);

        runs.Add(RunOk("Set-FhirConnection -Name p -NoProxy -PassThru"));
        view = Single(runs[^1], "FhirConnectionInfo");
        Assert.Equal("None", (string)view.ProxyMode);
        Assert.Null((Uri?)view.Proxy);

        runs.Add(RunOk("Set-FhirConnection -Name p -SystemProxy -PassThru"));
        Assert.Equal("System", (string)Single(runs[^1], "FhirConnectionInfo").ProxyMode);
        Assert.Equal("System", (string)Single(RunOk(New("d", "-PassThru")), "FhirConnectionInfo").ProxyMode);

        foreach (PsResult run in runs)
        {
            Assert.DoesNotContain(ProxyPassword, run.AllText());
        }
    }

    [Fact]
    public void Certificate_expiring_soon_is_imported_with_a_warning_and_can_be_removed()
    {
        using X509Certificate2 soon = Pki.IssueClientCertificate(CertificateOptions.Client with { Subject = "CN=soon", NotAfter = DateTimeOffset.UtcNow.AddDays(7) });
        PsResult result = RunOk(New("s", $"-ClientCertificatePath '{File("soon.pfx", TestPki.ExportPfx(soon))}'"));
        Assert.Contains("expires on", Assert.Single(result.Warnings).Message, StringComparison.Ordinal);
        Assert.Contains("clientCertificate", StoredDocument("FhirSecurity-Connection-s"), StringComparison.Ordinal);

        dynamic view = Single(RunOk("Set-FhirConnection -Name s -NoClientCertificate -PassThru"), "FhirConnectionInfo");
        Assert.Null((string?)view.ClientCertificateSubject);
        Assert.DoesNotContain("clientCertificate", StoredDocument("FhirSecurity-Connection-s"), StringComparison.Ordinal);
    }

    /// <inheritdoc />
    protected override void Cleanup()
    {
        _client.Dispose();
        Pki.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}

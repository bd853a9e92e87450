using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Xunit;

namespace FhirSecurity.Tests.Requests;

/// <summary>Test-FhirConnection against the test server: every step passing, and each step failing in turn.</summary>
public sealed class TestFhirConnectionTests : ServerTest
{
    private const string Cmdlet = "Test-FhirConnection";
    private static readonly string[] StepNames = ["Dns", "Tcp", "Tls", "Token", "Metadata", "Clock"];

    [Fact]
    public void An_OAuth_connection_with_a_private_CA_passes_every_step_and_reports_what_it_found()
    {
        NewOAuthConnection();

        PsResult result = RunWithOk("Test-FhirConnection c -Verbose");

        dynamic report = Single(result, "FhirConnectionTestResult");
        Assert.True((bool)report.Passed);
        IEnumerable<dynamic> steps = Steps(report);
        Assert.Equal(StepNames, steps.Select(s => (string)s.Name));
        Assert.All(steps, s => Assert.Equal("Passed", (string)s.Status.ToString()));
        Assert.Equal(["127.0.0.1"], ((IEnumerable<string>)report.Addresses).ToArray());
        Assert.Equal($"127.0.0.1:{Server.OAuthBase.Port}", (string)report.RemoteEndPoint);
        Assert.Matches("^Tls1[23]$", (string)report.TlsProtocol);
        Assert.StartsWith("TLS_", (string)report.CipherSuite);
        Assert.Equal("CustomBundle", report.TlsValidation.ToString());
        string[] subjects = ((IEnumerable<dynamic>)report.ServerCertificates).Select(c => (string)c.Subject).ToArray();
        Assert.Equal("CN=localhost", subjects[0]);
        Assert.Contains("CN=FhirSecurity Test Intermediate CA, O=FhirSecurity Tests", subjects);
        Assert.Equal("CN=FhirSecurity Test Intermediate CA, O=FhirSecurity Tests", (string)((IEnumerable<dynamic>)report.ServerCertificates).First().Issuer);
        Assert.True((DateTimeOffset)((IEnumerable<dynamic>)report.ServerCertificates).First().NotAfter > DateTimeOffset.UtcNow);
        Assert.Equal(["system/Patient.read"], ((IEnumerable<string>)report.GrantedScopes).ToArray());
        Assert.Equal(TimeSpan.FromMinutes(5), (TimeSpan)report.TokenLifetime);
        Assert.Equal(Server.TokenEndpoint, (Uri)report.TokenEndpoint);
        Assert.Equal("4.0.1", (string)report.FhirVersion);
        Assert.StartsWith("FhirSecurity.TestServer", (string)report.Software);
        Assert.True(((TimeSpan)report.ClockSkew).Duration() < TimeSpan.FromSeconds(5));

        // One fresh token request, and the metadata request carried that token: no second fetch.
        Assert.Equal(1, Server.Counters.TokenRequests);
        Assert.Equal(2, Server.Counters.RequestsWithAuthorization); // the token request's client_secret_basic, then the Bearer metadata request
        Assert.Equal("Bearer", Server.LastAuthorizationScheme);

        // The test leaves the session's token cache as it was.
        Assert.Empty(RunOk("Get-FhirTokenCache").Output);

        string verbose = string.Join("\n", result.Verbose.Select(v => v.Message));
        Assert.Contains("DNS: resolving '127.0.0.1'", verbose);
        Assert.Contains("TLS: handshake with 127.0.0.1 (CustomBundle validation", verbose);
        Assert.Contains("Token: requesting a new token for client 'canary-client'", verbose);
        Assert.Contains("Metadata: GET", verbose);
    }

    [Fact]
    public void A_Basic_Auth_connection_has_no_token_step()
    {
        NewBasicConnection();

        dynamic report = Single(RunWithOk($"{Cmdlet} c"), "FhirConnectionTestResult");

        Assert.True((bool)report.Passed);
        Assert.Equal("NotApplicable", Status(report, "Token"));
        Assert.Contains("Basic Auth", (string)report.Step("Token").Detail);
        Assert.Null(report.GrantedScopes);
        Assert.Equal("Passed", Status(report, "Metadata"));
        Assert.Equal("Basic", Server.LastAuthorizationScheme);
    }

    [Fact]
    public void A_name_that_does_not_resolve_fails_DNS_and_skips_everything_after()
    {
        RunWithOk($"New-FhirOAuth -Name o -TokenUrl https://nonexistent.invalid/token -ClientId {ClientId} -ClientSecret $clientSecret; New-FhirConnection -Name c -BaseUri https://nonexistent.invalid/fhir -OAuth o");

        PsResult result = RunWith($"{Cmdlet} c");

        ErrorRecord error = AssertError(result, "ConnectionTestDnsFailed", Cmdlet);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("nonexistent.invalid", error.Exception.Message);
        dynamic report = Single(result, "FhirConnectionTestResult");
        Assert.False((bool)report.Passed);
        Assert.Equal("Failed", Status(report, "Dns"));
        Assert.Equal("ConnectionTestDnsFailed", (string)report.Step("Dns").ErrorId);
        Assert.All(StepNames.Skip(1), name => Assert.Equal("Skipped", Status(report, name)));
    }

    [Fact]
    public void A_closed_port_fails_TCP()
    {
        int port = ClosedPort();
        RunWithOk($"New-FhirConnection -Name c -BaseUri https://127.0.0.1:{port}/fhir");

        PsResult result = RunWith($"{Cmdlet} c");

        ErrorRecord error = AssertError(result, "ConnectionTestTcpFailed", Cmdlet);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
        Assert.Contains($"127.0.0.1:{port}", error.Exception.Message);
        dynamic report = Single(result, "FhirConnectionTestResult");
        Assert.Equal("Passed", Status(report, "Dns"));
        Assert.Equal("Failed", Status(report, "Tcp"));
        Assert.Equal("Skipped", Status(report, "Tls"));
        Assert.Equal("NotApplicable", Status(report, "Token"));
        Assert.Equal("Skipped", Status(report, "Metadata"));
        Assert.Equal("Skipped", Status(report, "Clock"));
    }

    [Fact]
    public void Default_validation_refuses_the_private_CA_with_the_reason_and_still_shows_the_chain()
    {
        RunWithOk("New-FhirConnection -Name c -BaseUri $openBase");

        PsResult result = RunWith($"{Cmdlet} c");

        ErrorRecord error = AssertError(result, "ConnectionTestTlsFailed", Cmdlet);
        Assert.Equal(ErrorCategory.SecurityError, error.CategoryInfo.Category);
        Assert.Contains("not trusted by the system trust store", error.Exception.Message);
        dynamic report = Single(result, "FhirConnectionTestResult");
        Assert.Equal("Failed", Status(report, "Tls"));
        Assert.Contains("Default validation", (string)report.Step("Tls").Detail);
        Assert.Equal("CN=localhost", (string)((IEnumerable<dynamic>)report.ServerCertificates).First().Subject);
        Assert.Null(report.TlsProtocol);
        Assert.Equal("Skipped", Status(report, "Metadata"));
        Assert.Equal(0, Server.Counters.TotalRequests);
    }

    [Fact]
    public void A_certificate_for_another_host_is_refused_with_the_names_it_is_for()
    {
        ImportCa();
        Server.SetServerCertificate(Server.Pki.IssueServerCertificate(CertificateOptions.WrongHost));
        RunWithOk("New-FhirConnection -Name c -BaseUri $openBase -CaBundle testca");

        PsResult result = RunWith($"{Cmdlet} c");

        Assert.Contains("not for the host '127.0.0.1'", AssertError(result, "ConnectionTestTlsFailed", Cmdlet).Exception.Message);
        Assert.Equal("CN=fhir.example.org", (string)((IEnumerable<dynamic>)Single(result, "FhirConnectionTestResult").ServerCertificates).First().Subject);
    }

    [Fact]
    public void Skip_validation_passes_TLS_but_says_nothing_was_checked_and_warns()
    {
        Server.SetServerCertificate(Server.Pki.IssueServerCertificate(CertificateOptions.SelfSigned));
        RunWithOk("New-FhirConnection -Name lab -BaseUri $openBase -TlsValidation Skip");

        PsResult result = RunWithOk($"{Cmdlet} lab");

        dynamic report = Single(result, "FhirConnectionTestResult");
        Assert.Equal("Passed", Status(report, "Tls"));
        Assert.Contains("NOT validated (Skip)", (string)report.Step("Tls").Detail);
        Assert.Equal("CN=self-signed.localhost", (string)((IEnumerable<dynamic>)report.ServerCertificates).First().Subject);
        Assert.Contains("skips TLS certificate validation", Assert.Single(result.Warnings).Message);
    }

    [Fact]
    public void A_refused_secret_fails_the_token_step_and_metadata_is_read_without_credentials()
    {
        ImportCa();
        RunWithOk($"New-FhirOAuth -Name bad -TokenUrl $tokenUrl -ClientId {ClientId} -ClientSecret ([System.Net.NetworkCredential]::new('', 'wrong-secret').SecurePassword); New-FhirConnection -Name c -BaseUri $oauthBase -OAuth bad -CaBundle testca");

        PsResult result = RunWith($"{Cmdlet} c");

        // One error: the token; metadata (public on this server) still tells the FHIR version and the clock.
        ErrorRecord error = AssertError(result, "ConnectionTestTokenFailed", Cmdlet);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains("invalid_client", error.Exception.Message);
        dynamic report = Single(result, "FhirConnectionTestResult");
        Assert.Equal("Failed", Status(report, "Token"));
        Assert.Equal("Passed", Status(report, "Metadata"));
        Assert.Contains("sent without credentials", (string)report.Step("Metadata").Detail);
        Assert.Equal("4.0.1", (string)report.FhirVersion);
        Assert.Equal("Passed", Status(report, "Clock"));
        Assert.Null(Server.LastAuthorizationScheme);
        Assert.DoesNotContain("wrong-secret", result.AllText());
    }

    [Fact]
    public void A_failing_metadata_endpoint_fails_the_metadata_step_and_the_clock_still_reads_its_answer()
    {
        NewOAuthConnection();
        Server.Faults.EnqueueStatus("/oauth/fhir/metadata", 500);

        PsResult result = RunWith($"{Cmdlet} c");

        ErrorRecord error = AssertError(result, "ConnectionTestMetadataFailed", Cmdlet);
        Assert.Contains("HTTP 500", error.Exception.Message);
        dynamic report = Single(result, "FhirConnectionTestResult");
        Assert.Equal("Passed", Status(report, "Token"));
        Assert.Equal("Failed", Status(report, "Metadata"));
        Assert.Null(report.FhirVersion);
        Assert.Equal("Passed", Status(report, "Clock"));
        Assert.Equal(1, Server.Counters.RequestCount("GET", "/oauth/fhir/metadata"));
    }

    [Fact]
    public void A_server_clock_five_minutes_ahead_fails_the_clock_step_unless_the_limit_allows_it()
    {
        NewBasicConnection();
        Server.DateHeaderOffset = TimeSpan.FromMinutes(5);

        PsResult result = RunWith($"{Cmdlet} c");
        PsResult relaxed = RunWithOk($"{Cmdlet} c -MaximumClockSkewSec 600");

        ErrorRecord error = AssertError(result, "ConnectionTestClockSkew", Cmdlet);
        Assert.Contains("ahead of this machine's", error.Exception.Message);
        dynamic report = Single(result, "FhirConnectionTestResult");
        Assert.Equal("Failed", Status(report, "Clock"));
        Assert.InRange(((TimeSpan)report.ClockSkew).TotalSeconds, 295, 305);
        Assert.Equal("Passed", Status(report, "Metadata"));
        Assert.True((bool)Single(relaxed, "FhirConnectionTestResult").Passed);
    }

    [Fact]
    public void Runbooks_get_the_object_with_SilentlyContinue_and_the_ids_in_ErrorVariable()
    {
        RunWithOk("New-FhirConnection -Name c -BaseUri $openBase");

        PsResult result = RunWith($"$r = {Cmdlet} c -ErrorAction SilentlyContinue -ErrorVariable failures; $r.Passed; $r.Step('Tls').ErrorId; $failures.FullyQualifiedErrorId");

        Assert.Empty(result.Errors);
        Assert.Equal([false, "ConnectionTestTlsFailed", $"ConnectionTestTlsFailed,FhirSecurity.Commands.TestFhirConnectionCommand"], result.Output.Select(o => o.BaseObject));
    }

    [Fact]
    public void Connections_piped_from_Get_FhirConnection_are_each_tested()
    {
        NewBasicConnection("b");
        RunWithOk("New-FhirConnection -Name open -BaseUri $openBase -CaBundle testca");

        PsResult result = RunWithOk($"Get-FhirConnection | {Cmdlet}");

        Assert.Equal(["b", "open"], result.Output.Select(o => (string)o.Properties["Connection"].Value).Order());
        Assert.All(result.Output, o => Assert.True((bool)o.Properties["Passed"].Value));
    }

    [Fact]
    public void Connection_names_complete_from_the_vault()
    {
        RunWithOk("New-FhirConnection -Name prod-eu -BaseUri $openBase; New-FhirConnection -Name test -BaseUri $openBase");

        PsResult completion = Run("(TabExpansion2 -inputScript 'Test-FhirConnection -Connection pro' -cursorColumn 35).CompletionMatches.CompletionText");

        Assert.Equal(["prod-eu"], completion.Output.Select(o => o.BaseObject.ToString()));
    }

    [Fact]
    public void A_missing_connection_is_DefinitionNotFound_and_writes_no_result()
    {
        PsResult result = RunWith($"{Cmdlet} nothere");

        AssertError(result, "DefinitionNotFound", Cmdlet);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void The_default_and_list_views_show_the_steps_and_no_canary_appears_anywhere()
    {
        NewOAuthConnection("o");
        RunWithOk("New-FhirBasicAuth -Name b-basic -Credential $basicCredential; New-FhirConnection -Name b -BaseUri $basicBase -BasicAuth b-basic -CaBundle testca");
        RunWithOk($"New-FhirOAuth -Name wrong -TokenUrl $tokenUrl -ClientId {ClientId} -ClientSecret ([System.Net.NetworkCredential]::new('', 'CanaryWrong-31f0').SecurePassword); New-FhirConnection -Name w -BaseUri $oauthBase -OAuth wrong -CaBundle testca");
        RunWithOk("New-FhirConnection -Name untrusted -BaseUri $basicBase -BasicAuth b-basic");
        const string Common = " -Verbose -Debug";
        var runs = new List<PsResult>
        {
            RunWith($"{Cmdlet} o" + Common),
            RunWith($"{Cmdlet} b" + Common),
            RunWith($"{Cmdlet} w" + Common),
            RunWith($"{Cmdlet} untrusted" + Common),
        };
        Server.Faults.EnqueueStatus("/oauth/token", 500);
        runs.Add(RunWith($"{Cmdlet} o" + Common));

        string view = Session.RunFormatted($"{Cmdlet} o", Vars);
        // The hosted engine has no Format-List, so the list view is left to the Pester suite; these are default views.
        string all = string.Join(
            "\n",
            Session.RunFormatted($"({Cmdlet} o).Steps", Vars),
            Session.RunFormatted($"({Cmdlet} o).ServerCertificates", Vars),
            Session.RunFormatted($"{Cmdlet} w -ErrorAction SilentlyContinue", Vars));

        Assert.Matches(@"Connection 'o' \(https://127\.0\.0\.1:\d+/oauth/fhir/\): Passed in \d+ ms", view);
        Assert.Matches(@"Tls\s+Passed\s+\d+ ms\s+Tls1[23]", view);
        Assert.Matches(@"Token\s+Passed\s+\d+ ms\s+Token from", view);
        Assert.Matches(@"Metadata\s+Passed\s+\d+ ms\s+CapabilityStatement: FHIR 4\.0\.1", view);
        Assert.Matches(@"Metadata\s+Passed\s+\d+ ms CapabilityStatement", all);
        Assert.Contains("CN=FhirSecurity Test Intermediate CA", all);
        Assert.Matches(@"Token\s+Failed\s+\d+ ms\s+The token endpoint", all);
        Assert.Equal(3, runs.Count(r => r.Errors.Count > 0));
        Assert.True(Server.IssuedTokenValues.Count >= 2, "tokens were issued, so the token canaries are real");
        foreach (string canary in new[] { Password, ClientSecret, "CanaryWrong-31f0" }.Concat(Server.IssuedTokenValues))
        {
            Assert.All(runs, r => Assert.DoesNotContain(canary, r.AllText()));
            Assert.DoesNotContain(canary, view);
            Assert.DoesNotContain(canary, all);
        }
    }

    [Fact]
    public void Ctrl_C_stops_a_test_promptly()
    {
        NewOAuthConnection();
        Server.Faults.Enqueue("/oauth/fhir/metadata", Fault.Slow(TimeSpan.FromSeconds(30)));

        using PowerShell ps = PowerShell.Create();
        ps.Runspace = Session.Runspace;
        ps.AddScript($"{Cmdlet} c");
        IAsyncResult running = ps.BeginInvoke();
        Thread.Sleep(1000);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        ps.Stop();

        Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(5)));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
    }

    private static IEnumerable<dynamic> Steps(object report) => ((IEnumerable<dynamic>)((dynamic)report).Steps).ToArray();

    private static string Status(dynamic report, string step) => report.Step(step).Status.ToString();

    private static int ClosedPort()
    {
        // A port that was free a moment ago: nothing listens on it.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

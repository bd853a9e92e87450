using System.Management.Automation;
using FhirSecurity.Tests.Harness;
using FhirSecurity.TestServer;
using Microsoft.PowerShell.SecretManagement;
using Xunit;

namespace FhirSecurity.Tests.Requests;

public sealed class InvokeFhirRequestTests : ServerTest
{
    private static string Prop(PSObject item, string name) => item.Properties[name]?.Value?.ToString() ?? string.Empty;

    [Fact]
    public void Reads_a_resource_without_auth_over_a_private_CA()
    {
        ImportCa();
        RunWithOk("New-FhirConnection -Name open -BaseUri $openBase -CaBundle testca");

        PSObject patient = Assert.Single(RunWithOk("Invoke-FhirRequest -Connection open -Path Patient/pat-0001").Output);

        Assert.Equal("Patient", Prop(patient, "resourceType"));
        Assert.Equal("pat-0001", Prop(patient, "id"));
        Assert.Contains("FhirSecurity.Resource#Patient", patient.TypeNames);
        Assert.Null(Server.LastAuthorizationScheme);
    }

    [Fact]
    public void Basic_auth_sends_UTF8_credentials()
    {
        NewBasicConnection();

        PSObject patient = Assert.Single(RunWithOk("Invoke-FhirRequest c -ResourceType Patient -Id pat-0002").Output);

        Assert.Equal("pat-0002", Prop(patient, "id"));
        Assert.Equal("Basic", Server.LastAuthorizationScheme);
    }

    [Theory]
    [InlineData("ClientSecretBasic", "client_secret_basic")]
    [InlineData("ClientSecretPost", "client_secret_post")]
    public void OAuth_gets_a_token_with_the_chosen_client_authentication(string method, string wire)
    {
        NewOAuthConnection(method: method);

        Assert.Single(RunWithOk("Invoke-FhirRequest c Patient/pat-0001").Output);

        Assert.Equal("Bearer", Server.LastAuthorizationScheme);
        Assert.Equal(wire, Server.LastTokenRequest!.ClientAuthMethod);
        Assert.Equal("system/Patient.read", Server.LastTokenRequest.Scope);
        Assert.Equal(1, Server.Counters.TokenRequestsSucceeded);
    }

    [Fact]
    public void Token_is_cached_across_calls_and_verbose_says_so()
    {
        NewOAuthConnection();

        PsResult first = RunWithOk("Invoke-FhirRequest c Patient/pat-0001 -Verbose");
        PsResult rest = RunWithOk("1..4 | ForEach-Object { Invoke-FhirRequest c Patient/pat-0001 -Verbose }");

        Assert.Equal(4, rest.Output.Count);
        Assert.Equal(1, Server.Counters.TokenRequests);
        Assert.Contains(first.Verbose, v => v.Message.Contains("new token"));
        Assert.All(rest.Verbose.Where(v => v.Message.StartsWith("GET")), v => Assert.Contains("token from cache", v.Message));
        Assert.Contains(first.Verbose, v => v.Message.Contains("Connection 'c'") && v.Message.Contains("read from the vault"));
        Assert.Contains(rest.Verbose, v => v.Message.Contains("session cache"));
    }

    [Fact]
    public void Token_is_refreshed_before_it_expires_not_on_every_call()
    {
        Server.TokenLifetime = TimeSpan.FromSeconds(3);
        NewOAuthConnection();

        RunWithOk("Invoke-FhirRequest c Patient/pat-0001; Invoke-FhirRequest c Patient/pat-0001");
        Assert.Equal(1, Server.Counters.TokenRequests);

        // Past 80 % of the lifetime, before expiry: the next call refreshes first and never sends the old token.
        Thread.Sleep(TimeSpan.FromSeconds(2.6));
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");

        Assert.Equal(2, Server.Counters.TokenRequests);
    }

    [Fact]
    public void A_401_drops_the_token_fetches_one_and_replays_once()
    {
        NewOAuthConnection();
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");
        Server.RevokeAllTokens();

        PsResult result = RunWithOk("Invoke-FhirRequest c Patient/pat-0001 -Verbose");

        Assert.Single(result.Output);
        Assert.Equal(2, Server.Counters.TokenRequestsSucceeded);
        Assert.Contains(result.Verbose, v => v.Message.Contains("401"));
    }

    [Fact]
    public void Concurrent_runspaces_share_one_token_request()
    {
        NewOAuthConnection();
        var sessions = Enumerable.Range(0, 6).Select(_ => PsSession.Create()).ToArray();
        try
        {
            var vars = Vars;
            PsResult[] results = sessions.AsParallel().WithDegreeOfParallelism(6)
                .Select(s => s.Run("1..3 | ForEach-Object { Invoke-FhirRequest c Patient/pat-0001 }", vars))
                .ToArray();

            Assert.All(results, r => Assert.Empty(r.Errors));
            Assert.Equal(18, results.Sum(r => r.Output.Count));
            Assert.Equal(1, Server.Counters.TokenRequests);
        }
        finally
        {
            foreach (PsSession session in sessions)
            {
                session.Dispose();
            }
        }
    }

    [Fact]
    public void Set_takes_effect_on_the_next_call_without_reimport()
    {
        NewBasicConnection();
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");

        PsResult broken = RunWith("Set-FhirBasicAuth c-basic -Password ([System.Net.NetworkCredential]::new('', 'wrong').SecurePassword); Invoke-FhirRequest c Patient/pat-0001");
        Assert.Equal(401, AssertHttpError(broken));

        RunWithOk("Set-FhirBasicAuth c-basic -Credential $basicCredential; Invoke-FhirRequest c Patient/pat-0001");

        PsResult strict = RunWith("Set-FhirConnection c -TlsValidation Default; Invoke-FhirRequest c Patient/pat-0001");
        AssertError(strict, "TlsValidationFailed", "Invoke-FhirRequest");
    }

    [Fact]
    public void Connections_and_TLS_sessions_are_reused_across_calls_and_runspaces()
    {
        NewOAuthConnection();
        RunWithOk("1..5 | ForEach-Object { Invoke-FhirRequest c Patient/pat-0001 }");
        using (PsSession other = PsSession.Create())
        {
            Assert.Empty(other.Run("1..5 | ForEach-Object { Invoke-FhirRequest c Patient/pat-0001 }", Vars).Errors);
        }

        // Token request and ten reads, one pooled handler: one TLS connection.
        Assert.Equal(11, Server.Counters.TotalRequests);
        Assert.Equal(1, Server.Counters.ConnectionsAccepted);
    }

    [Fact]
    public void Scope_change_is_used_by_the_next_token_request()
    {
        NewOAuthConnection();
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");

        RunWithOk("Set-FhirOAuth c-oauth -Scope system/*.read; Invoke-FhirRequest c Patient/pat-0001");

        Assert.Equal("system/*.read", Server.LastTokenRequest!.Scope);
        Assert.Equal(2, Server.Counters.TokenRequests);
    }

    [Fact]
    public void A_change_made_in_the_vault_elsewhere_is_picked_up_after_a_401()
    {
        NewBasicConnection();
        string good = TestVaults.Snapshot(DefaultVault)["FhirSecurity-BasicAuth-c-basic"].Value;
        RunWithOk("Set-FhirBasicAuth c-basic -Password ([System.Net.NetworkCredential]::new('', 'stale').SecurePassword)");
        Assert.Equal(401, AssertHttpError(RunWith("Invoke-FhirRequest c Patient/pat-0001")));

        // Another process repairs the vault; this session still holds the stale definition in its cache.
        TestVaults.WriteRaw(DefaultVault, "FhirSecurity-BasicAuth-c-basic", good);
        PsResult repaired = RunWithOk("Invoke-FhirRequest c Patient/pat-0001 -Verbose");

        Assert.Single(repaired.Output);
        Assert.Contains(repaired.Verbose, v => v.Message.Contains("401"));
    }

    [Fact]
    public void Revalidation_interval_rereads_the_vault_without_a_401()
    {
        NewBasicConnection();
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");
        TestVaults.ResetCalls();
        try
        {
            RunWithOk("Invoke-FhirRequest c Patient/pat-0001");
            Assert.Equal(0, TestVaults.Calls(DefaultVault).GetSecret);

            Environment.SetEnvironmentVariable("FHIRSECURITY_REVALIDATE_SEC", "0");
            RunWithOk("Invoke-FhirRequest c Patient/pat-0001");
            Assert.True(TestVaults.Calls(DefaultVault).GetSecret > 0);
        }
        finally
        {
            Environment.SetEnvironmentVariable("FHIRSECURITY_REVALIDATE_SEC", null);
        }
    }

    [Fact]
    public void Search_returns_the_Bundle_and_All_streams_every_page()
    {
        NewOAuthConnection();

        PSObject bundle = Assert.Single(RunWithOk("Invoke-FhirRequest c Patient -Query @{ _count = 10 }").Output);
        PsResult all = RunWithOk("Invoke-FhirRequest c Patient -Query @{ _count = 10 } -All");

        Assert.Equal("Bundle", Prop(bundle, "resourceType"));
        Assert.Equal("25", Prop(bundle, "total"));
        Assert.Equal(25, all.Output.Count);
        Assert.All(all.Output, p => Assert.Equal("Patient", Prop(p, "resourceType")));
        Assert.Equal(25, all.Output.Select(p => Prop(p, "id")).Distinct().Count());
        // One search without -All, then three pages.
        Assert.Equal(4, Server.Counters.RequestCount("GET", "/oauth/fhir/Patient"));
    }

    [Fact]
    public void Create_update_through_the_pipeline_and_delete()
    {
        NewOAuthConnection(scope: "system/Patient.write");

        PSObject created = Assert.Single(RunWithOk("Invoke-FhirRequest c -Method POST -Body @{ resourceType = 'Patient'; name = @(@{ family = 'Pipeline' }) }").Output);
        string id = Prop(created, "id");
        PSObject updated = Assert.Single(RunWithOk($"Invoke-FhirRequest c Patient/{id} | ForEach-Object {{ $_.psobject.Properties.Add([psnoteproperty]::new('gender', 'female')); $_ }} | Invoke-FhirRequest -Connection c -Method PUT").Output);
        RunWithOk($"Invoke-FhirRequest c -Method DELETE -ResourceType Patient -Id {id}");

        Assert.Equal("female", Prop(updated, "gender"));
        Assert.Equal(410, AssertHttpError(RunWith($"Invoke-FhirRequest c Patient/{id}")));
    }

    [Fact]
    public void Searched_pages_filtered_and_piped_back_are_each_PUT_to_their_own_URL()
    {
        NewOAuthConnection(scope: "system/Patient.write");

        PsResult updated = RunWithOk(
            "Invoke-FhirRequest c Patient -Query @{ _count = 10 } -All | " +
            "Where-Object { $_.id -in 'pat-0003', 'pat-0017', 'pat-0025' } | " +
            "ForEach-Object { $_.psobject.Properties.Remove('gender'); $_.psobject.Properties.Add([psnoteproperty]::new('gender', 'unknown')); $_ } | " +
            "Invoke-FhirRequest -Method PUT -Connection c");

        Assert.Equal(["pat-0003", "pat-0017", "pat-0025"], updated.Output.Select(p => Prop(p, "id")).Order());
        Assert.All(["pat-0003", "pat-0017", "pat-0025"], id => Assert.Equal(1, Server.Counters.RequestCount("PUT", $"/oauth/fhir/Patient/{id}")));
        Assert.Equal(0, Server.Counters.RequestCount("PUT", "/oauth/fhir/Patient"));
        Assert.Equal(0, Server.Counters.RequestCount("POST", "/oauth/fhir/Patient"));
        Assert.Equal("unknown", Prop(Assert.Single(RunWithOk("Invoke-FhirRequest c Patient/pat-0017").Output), "gender"));
        Assert.Equal(1, Server.Counters.TokenRequests);
    }

    [Fact]
    public void OperationOutcome_issues_are_in_the_error()
    {
        NewOAuthConnection(scope: "system/Patient.write");

        PsResult missing = RunWith("Invoke-FhirRequest c Patient/does-not-exist");
        PsResult invalid = RunWith("Invoke-FhirRequest c -Method POST -Body '{\"resourceType\":\"Patient\",\"birthDate\":\"not-a-date\"}' -WarningAction SilentlyContinue");

        ErrorRecord notFound = Assert.Single(missing.Errors);
        Assert.Equal("FhirRequestFailed,FhirSecurity.Commands.InvokeFhirRequestCommand", notFound.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, notFound.CategoryInfo.Category);
        Assert.Contains("404", notFound.Exception.Message);
        Assert.Contains("does-not-exist", notFound.Exception.Message);
        Assert.Equal(422, AssertHttpError(invalid));
        Assert.Equal(ErrorCategory.InvalidData, Assert.Single(invalid.Errors).CategoryInfo.Category);
    }

    [Fact]
    public void Raw_returns_the_body_text()
    {
        NewOAuthConnection();

        string text = Assert.IsType<string>(Assert.Single(RunWithOk("Invoke-FhirRequest c Patient/pat-0001 -Raw").Output).BaseObject);

        Assert.Contains("\"resourceType\"", text);
    }

    [Fact]
    public void Body_that_is_not_a_resource_is_refused_before_sending()
    {
        NewOAuthConnection(scope: "system/Patient.write");

        PsResult result = RunWith("Invoke-FhirRequest c -Method POST -Path Patient -Body 'not json'");

        AssertError(result, "FhirBodyInvalid", "Invoke-FhirRequest");
        Assert.Equal(0, Server.Counters.Creates);
    }

    [Fact]
    public void A_piped_body_that_cannot_be_written_as_JSON_is_an_error_for_that_input_and_the_next_one_is_sent()
    {
        NewOAuthConnection(scope: "system/Patient.write");

        PsResult result = RunWith(
            "$loop = @{ resourceType = 'Patient' }; $loop.self = $loop; " +
            "$notANumber = @{ resourceType = 'Patient'; weight = [double]::NaN }; " +
            "$loop, @{ resourceType = 'Patient'; name = @(@{ family = 'After' }) }, $notANumber | " +
            "Invoke-FhirRequest c -Method POST");

        Assert.Null(result.TerminatingError);
        Assert.Equal(
            ["FhirBodyNotConvertible,FhirSecurity.Commands.InvokeFhirRequestCommand",
             "FhirBodyNotConvertible,FhirSecurity.Commands.InvokeFhirRequestCommand"],
            result.ErrorIds);
        Assert.All(result.Errors, e => Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category));
        Assert.Contains("refer to itself", result.Errors[0].Exception.Message);
        Assert.Contains("NaN", result.Errors[1].Exception.Message);
        object loop = Assert.IsType<PSObject>(result.Errors[0].TargetObject).BaseObject;
        Assert.Same(loop, Assert.IsType<System.Collections.Hashtable>(loop)["self"]);
        Assert.Equal("Patient", Prop(Assert.Single(result.Output), "resourceType"));
        Assert.Equal(1, Server.Counters.Creates);
    }

    [Fact]
    public void Authorization_header_cannot_be_overridden()
    {
        NewOAuthConnection();

        AssertError(RunWith("Invoke-FhirRequest c Patient/pat-0001 -Headers @{ Authorization = 'Bearer x' }"), "FhirHeaderReserved", "Invoke-FhirRequest");
    }

    [Fact]
    public void Slow_server_times_out_with_its_own_id()
    {
        NewOAuthConnection();
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");
        Server.Faults.Enqueue("/oauth/fhir/Patient", Fault.Slow(TimeSpan.FromSeconds(10)));

        PsResult result = RunWith("Invoke-FhirRequest c Patient/pat-0001 -TimeoutSec 1");

        AssertError(result, "FhirRequestTimeout", "Invoke-FhirRequest");
    }

    [Fact]
    public void Token_endpoint_refusal_has_its_own_id_and_no_secret()
    {
        ImportCa();
        RunWithOk("New-FhirOAuth -Name bad -TokenUrl $tokenUrl -ClientId " + ClientId + " -ClientSecret ([System.Net.NetworkCredential]::new('', 'wrong-secret').SecurePassword); New-FhirConnection -Name c -BaseUri $oauthBase -OAuth bad -CaBundle testca");

        PsResult result = RunWith("Invoke-FhirRequest c Patient/pat-0001");

        ErrorRecord error = AssertError(result, "OAuthTokenRequestFailed", "Invoke-FhirRequest");
        Assert.Contains("invalid_client", error.Exception.Message);
        Assert.DoesNotContain("wrong-secret", result.AllText());
    }

    [Fact]
    public void Ctrl_C_stops_a_request_promptly()
    {
        NewOAuthConnection();
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");
        Server.Faults.Enqueue("/oauth/fhir/Patient", Fault.Slow(TimeSpan.FromSeconds(30)));

        using PowerShell ps = PowerShell.Create();
        ps.Runspace = Session.Runspace;
        ps.AddScript("Invoke-FhirRequest c Patient/pat-0001");
        IAsyncResult running = ps.BeginInvoke();
        Thread.Sleep(500);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        ps.Stop();

        Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(5)));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
    }

    [Fact]
    public void Connection_names_complete_from_the_vault()
    {
        RunWithOk("New-FhirConnection -Name prod-eu -BaseUri $openBase; New-FhirConnection -Name prod-us -BaseUri $openBase; New-FhirConnection -Name test -BaseUri $openBase");

        PsResult completion = Run("(TabExpansion2 -inputScript 'Invoke-FhirRequest -Connection pro' -cursorColumn 34).CompletionMatches.CompletionText");

        Assert.Equal(["prod-eu", "prod-us"], completion.Output.Select(o => o.BaseObject.ToString()));
    }

    [Fact]
    public void Connection_object_from_Get_FhirConnection_is_accepted()
    {
        ImportCa();
        TestVaults.Register("Other");
        RunWithOk("Import-FhirCaBundle -Name testca -Pem $pem -Vault Other; New-FhirConnection -Name open -BaseUri $openBase -CaBundle testca -Vault Other");

        Assert.Single(RunWithOk("Invoke-FhirRequest -Connection (Get-FhirConnection open) -Path Patient/pat-0001").Output);
        Assert.Single(RunWithOk("Get-FhirConnection open | Invoke-FhirRequest -Path Patient/pat-0001").Output);
    }

    private static int AssertHttpError(PsResult result)
    {
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.StartsWith("FhirRequestFailed,", error.FullyQualifiedErrorId);
        return (int)error.Exception.GetType().GetProperty("StatusCode")!.GetValue(error.Exception)!;
    }
}

using FhirSecurity.Tests.Harness;
using Xunit;

namespace FhirSecurity.Tests.Requests;

public sealed class TokenCacheCmdletTests : ServerTest
{
    [Fact]
    public void Get_shows_entries_without_the_token_and_Clear_forces_a_new_one()
    {
        NewOAuthConnection();
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");

        dynamic entry = Single(RunOk("Get-FhirTokenCache"), "FhirTokenCacheEntry");
        Assert.Equal("c-oauth", (string)entry.OAuth);
        Assert.Equal(ClientId, (string)entry.ClientId);
        Assert.True((bool)entry.IsValid);
        Assert.Equal(1, (int)entry.Fetches);
        Assert.Equal("********", (string)entry.Token);
        Assert.True((DateTimeOffset)entry.RefreshAfter < (DateTimeOffset)entry.ExpiresAt);

        RunOk("Clear-FhirTokenCache");
        Assert.Empty(RunOk("Get-FhirTokenCache").Output);
        RunWithOk("Invoke-FhirRequest c Patient/pat-0001");
        Assert.Equal(2, Server.Counters.TokenRequests);
    }

    [Fact]
    public void Format_view_shows_no_token()
    {
        NewOAuthConnection();
        PsResult result = RunWithOk("Invoke-FhirRequest c Patient/pat-0001");

        string text = Session.RunFormatted("Get-FhirTokenCache") + Session.RunAllProperties("Get-FhirTokenCache");

        Assert.Contains("c-oauth", text);
        Assert.Contains("Fetches : 1", text);
        Assert.DoesNotContain(ClientSecret, text);
        Assert.DoesNotContain("Bearer", text);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void OAuth_completes_from_the_cache_entries()
    {
        NewOAuthConnection("eu");
        RunWithOk($"New-FhirOAuth -Name us-oauth -TokenUrl $tokenUrl -ClientId {ClientId} -ClientSecret $clientSecret -Scope system/Patient.read; New-FhirConnection -Name us -BaseUri $oauthBase -OAuth us-oauth -CaBundle testca");
        RunWithOk("New-FhirOAuth -Name never-used -TokenUrl $tokenUrl -ClientId x -ClientSecret $clientSecret");
        RunWithOk("Invoke-FhirRequest eu Patient/pat-0001; Invoke-FhirRequest us Patient/pat-0001");

        PsResult all = RunOk("(TabExpansion2 -inputScript 'Get-FhirTokenCache -OAuth ' -cursorColumn 26).CompletionMatches.CompletionText");
        PsResult some = RunOk("(TabExpansion2 -inputScript 'Get-FhirTokenCache U' -cursorColumn 20).CompletionMatches.CompletionText");

        Assert.Equal(["eu-oauth", "us-oauth"], all.Output.Select(o => o.BaseObject.ToString()));
        Assert.Equal(["us-oauth"], some.Output.Select(o => o.BaseObject.ToString()));
    }
}

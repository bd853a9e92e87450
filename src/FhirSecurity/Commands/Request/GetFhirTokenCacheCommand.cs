using System.Management.Automation;
using FhirSecurity.Core.Auth;

namespace FhirSecurity.Commands;

/// <summary>
/// Shows the OAuth tokens this process holds: client, scopes, expiry and refresh time, never the token.
/// </summary>
[Cmdlet(VerbsCommon.Get, "FhirTokenCache")]
[OutputType(typeof(FhirTokenCacheEntry))]
public sealed class GetFhirTokenCacheCommand : PSCmdlet
{
    /// <summary>Only entries of OAuth definitions matching this name (wildcards allowed).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(CachedOAuthNameCompleter))]
    public string OAuth { get; set; } = "*";

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var pattern = new WildcardPattern(OAuth, WildcardOptions.IgnoreCase);
        foreach (TokenCacheEntryInfo e in TokenCache.Shared.Snapshot()
                     .Where(e => pattern.IsMatch(e.OAuth))
                     .OrderBy(e => e.OAuth, StringComparer.OrdinalIgnoreCase))
        {
            WriteObject(new FhirTokenCacheEntry(
                oAuth: e.OAuth,
                tokenUrl: e.TokenUrl,
                clientId: e.ClientId,
                scope: e.Scope,
                grantedScope: e.GrantedScope,
                issuedAt: e.IssuedAt,
                expiresAt: e.ExpiresAt,
                refreshAfter: e.RefreshAfter,
                fetches: e.Fetches));
        }
    }
}

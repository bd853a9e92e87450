using System.Runtime.CompilerServices;
using FhirSecurity.Core.Auth;

namespace FhirSecurity.Commands;

/// <summary>
/// Decides when Invoke-FhirRequest warns that a token was granted fewer scopes than requested: once per fetched
/// token, not on every request that uses it. Tokens are shared by every runspace of the process (the token cache),
/// so the mark is too, whichever runspace uses the token first; it is held weakly, so it goes with its token.
/// </summary>
internal static class ScopeWarnings
{
    private static readonly object s_warned = new();
    private static readonly ConditionalWeakTable<AccessToken, object> s_tokens = new();

    /// <summary>True once per token, to the first caller, when the token lacks scopes that were requested.</summary>
    public static bool Claim(AccessToken token) => token.MissingScopes.Count > 0 && s_tokens.TryAdd(token, s_warned);
}

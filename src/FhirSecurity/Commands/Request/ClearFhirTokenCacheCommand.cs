using System.Management.Automation;
using FhirSecurity.Core.Auth;

namespace FhirSecurity.Commands;

/// <summary>
/// Forgets every OAuth token this process holds (all runspaces) and this session's resolved connections; the
/// next request fetches a new token and reads its definitions from the vault again.
/// </summary>
[Cmdlet(VerbsCommon.Clear, "FhirTokenCache", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class ClearFhirTokenCacheCommand : PSCmdlet
{
    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (ShouldProcess("the OAuth token cache of this process", "Clear"))
        {
            int count = TokenCache.Shared.Clear();
            Session.FhirSession.Current.Connections.Clear();
            WriteVerbose($"Dropped {count} token cache entr{(count == 1 ? "y" : "ies")}.");
        }
    }
}

using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace FhirSecurity.Vaults;

/// <summary>
/// Recognises SecretManagement's failure when two vault calls overlap: it runs them all in one static runspace, so
/// the second finds "a pipeline is already running" and is reported as <c>GetSecretInvalidOperation</c>,
/// <c>GetSecretInfoInvalidOperation</c>, <c>SetSecretInvalidOperation</c> or <c>RemoveSecretInvalidOperation</c>
/// with that exception inside. Nothing was read or written, so the call may be made again.
/// </summary>
internal static class VaultCollision
{
    private static readonly string[] s_ids =
    [
        "GetSecretInvalidOperation",
        "GetSecretInfoInvalidOperation",
        "SetSecretInvalidOperation",
        "RemoveSecretInvalidOperation",
    ];

    /// <summary>True when the record is SecretManagement refusing a call because another one was running.</summary>
    public static bool IsCollision(ErrorRecord error)
    {
        string id = error.FullyQualifiedErrorId ?? string.Empty;
        if (!s_ids.Any(known => id.StartsWith(known + ",", StringComparison.Ordinal) || id == known))
        {
            return false;
        }

        for (Exception? ex = error.Exception; ex is not null; ex = ex.InnerException)
        {
            // PowerShell ships its messages in English only; the type alone would also match a vault's own failure.
            if (ex is PSInvalidOperationException or InvalidRunspaceStateException
                && (ex.Message.Contains("already running", StringComparison.OrdinalIgnoreCase)
                    || ex.Message.Contains("concurrent", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }
}

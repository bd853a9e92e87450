namespace Microsoft.PowerShell.SecretManagement;

/// <summary>
/// How many cmdlet invocations reached one vault since the last reset. A Get-Secret without -Vault that searched
/// two vaults counts once for each; internal probes (the -NoClobber existence check) are not counted.
/// </summary>
/// <param name="GetSecret">Get-Secret invocations that asked this vault.</param>
/// <param name="GetSecretInfo">Get-SecretInfo invocations that asked this vault.</param>
/// <param name="SetSecret">Set-Secret invocations that tried to write to this vault (whether or not they succeeded).</param>
/// <param name="RemoveSecret">Remove-Secret invocations that tried to remove from this vault.</param>
public readonly record struct VaultCallCounts(int GetSecret, int GetSecretInfo, int SetSecret, int RemoveSecret)
{
    /// <summary>Every call, of any kind.</summary>
    public int Total => GetSecret + GetSecretInfo + SetSecret + RemoveSecret;
}

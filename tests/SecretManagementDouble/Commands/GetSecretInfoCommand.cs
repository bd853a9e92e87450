using System.Management.Automation;

namespace Microsoft.PowerShell.SecretManagement;

/// <summary>
/// Get-SecretInfo, copying SecretManagement 1.1.2:
/// <list type="bullet">
/// <item>parameters <c>[[-Name] &lt;string&gt;] [[-Vault] &lt;string&gt;]</c>; Name takes wildcards, case-insensitively, and
/// defaults to <c>*</c>;</item>
/// <item>the "no extension vaults registered" warning;</item>
/// <item>-Vault: that vault only (unknown: terminating <c>GetSecretVaultNotFound</c>); else the default vault first,
/// then the others by name; each vault's results sorted by name;</item>
/// <item><see cref="SecretInformation"/> objects with Name, Type, VaultName and a read-only Metadata dictionary;</item>
/// <item>no match is not an error;</item>
/// <item>a locked SecretStore: non-terminating <c>GetSecretInfoException</c>, InvalidOperation, with the
/// <see cref="PasswordRequiredException"/>; the other vaults are still listed;</item>
/// <item>a call that overlaps another vault call of the process: non-terminating <c>GetSecretInfoInvalidOperation</c>,
/// "Unable to get secret information from vault V"; the other vaults are still listed.</item>
/// </list>
/// </summary>
[Cmdlet(VerbsCommon.Get, "SecretInfo")]
[OutputType(typeof(SecretInformation))]
public sealed class GetSecretInfoCommand : SecretCmdlet
{
    /// <summary>A name pattern; all secrets when omitted.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string? Name { get; set; }

    /// <summary>The one vault to list; all vaults when omitted.</summary>
    [Parameter(Position = 1)]
    public string? Vault { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing() => CheckForRegisteredVaults();

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var pattern = new WildcardPattern(string.IsNullOrEmpty(Name) ? "*" : Name, WildcardOptions.IgnoreCase);
        IEnumerable<string> vaults = !string.IsNullOrEmpty(Vault) ? [GetExtensionVault(Vault)] : VaultRegistry.SearchOrder();
        foreach (string vault in vaults)
        {
            try
            {
                foreach (SecretInformation info in ExtensionRunspace.Run(() => VaultRegistry.Enumerate(vault, pattern)))
                {
                    WriteObject(info);
                }
            }
            catch (PasswordRequiredException ex)
            {
                WriteError(new ErrorRecord(ex, "GetSecretInfoException", ErrorCategory.InvalidOperation, this));
            }
            catch (PSInvalidOperationException ex) when (ex.Message == ExtensionRunspace.ConcurrentInvokeMessage)
            {
                WriteError(ExtensionRunspace.Failure(ex, "GetSecretInfoInvalidOperation", "Unable to get secret information from vault {0}", vault));
            }
        }
    }
}

using System.Globalization;
using System.Management.Automation;

namespace Microsoft.PowerShell.SecretManagement;

/// <summary>
/// Get-SecretVault, copying SecretManagement 1.1.2: <c>[[-Name] &lt;string[]&gt;]</c> with wildcards (all vaults when
/// omitted), <see cref="SecretVaultInfo"/> objects (Name, ModuleName, ModulePath, Description, VaultParameters,
/// IsDefault) sorted by name; a literal name that is not registered: non-terminating <c>GetSecretVaultNotFound</c>,
/// ObjectNotFound, "Vault X does not exist in registry.".
/// </summary>
[Cmdlet(VerbsCommon.Get, "SecretVault")]
[OutputType(typeof(SecretVaultInfo))]
public sealed class GetSecretVaultCommand : SecretCmdlet
{
    /// <summary>Vault names or patterns.</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        IReadOnlyList<SecretVaultInfo> vaults = VaultRegistry.Describe();
        foreach (string name in Name ?? ["*"])
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                foreach (SecretVaultInfo vault in vaults.Where(vault => pattern.IsMatch(vault.Name)))
                {
                    WriteObject(vault);
                }
            }
            else if (vaults.FirstOrDefault(vault => string.Equals(vault.Name, name, StringComparison.OrdinalIgnoreCase)) is { } vault)
            {
                WriteObject(vault);
            }
            else
            {
                WriteError(new ErrorRecord(
                    new ItemNotFoundException(string.Format(CultureInfo.InvariantCulture, "Vault {0} does not exist in registry.", name)),
                    "GetSecretVaultNotFound",
                    ErrorCategory.ObjectNotFound,
                    this));
            }
        }
    }
}

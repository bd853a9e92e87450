using System.Globalization;
using System.Management.Automation;

namespace Microsoft.PowerShell.SecretManagement;

/// <summary>
/// Unregister-SecretVault: <c>[-Name] &lt;string[]&gt;</c> with wildcards, ShouldProcess. Removing the default vault
/// leaves no default. The double also drops the vault's contents. The error id and message for an unknown name
/// (<c>UnregisterSecretVaultObjectNotFound</c>) are unverified.
/// </summary>
[Cmdlet(VerbsLifecycle.Unregister, "SecretVault", SupportsShouldProcess = true)]
public sealed class UnregisterSecretVaultCommand : SecretCmdlet
{
    /// <summary>Vault names or patterns.</summary>
    [Parameter(Position = 0, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        IReadOnlyList<SecretVaultInfo> vaults = VaultRegistry.Describe();
        foreach (string name in Name)
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            List<string> matches = vaults.Select(vault => vault.Name).Where(pattern.IsMatch).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteError(new ErrorRecord(
                    new ItemNotFoundException(string.Format(CultureInfo.InvariantCulture, "Unable to find secret vault {0} to unregister it.", name)),
                    "UnregisterSecretVaultObjectNotFound",
                    ErrorCategory.ObjectNotFound,
                    this));
            }

            foreach (string match in matches.Where(match => ShouldProcess(match, VerbsLifecycle.Unregister)))
            {
                VaultRegistry.Unregister(match);
            }
        }
    }
}

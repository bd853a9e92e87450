using System.Globalization;
using System.Management.Automation;

namespace Microsoft.PowerShell.SecretManagement;

/// <summary>
/// The shared base of the secret cmdlets, as in the real module: vault lookup with the real
/// <c>GetSecretVaultNotFound</c> terminating error, and the real warning when no vault is registered.
/// </summary>
public abstract class SecretCmdlet : PSCmdlet
{
    // Verbatim, indentation included: the real text is a verbatim string in Utils.cs.
    private const string NoVaultRegistered = @"
        There are currently no extension vaults registered.
        At least one vault must be registered before SecretManagement can add or retrieve secrets.
        You can download SecretManagement extension vault modules from PowerShellGallery.
        https://aka.ms/SecretManagementVaults
        ";

    /// <summary>Returns the registered spelling of a vault name, or stops the cmdlet as the real one does.</summary>
    internal string GetExtensionVault(string name)
    {
        string? vault = VaultRegistry.Resolve(name);
        if (vault is null)
        {
            ThrowTerminatingError(new ErrorRecord(
                new PSInvalidOperationException(string.Format(CultureInfo.InvariantCulture, "Vault not found in registry: {0}", name)),
                "GetSecretVaultNotFound",
                ErrorCategory.ObjectNotFound,
                this));
        }

        return vault!;
    }

    /// <summary>Writes the real module's warning when no vault is registered.</summary>
    internal void CheckForRegisteredVaults()
    {
        if (VaultRegistry.Count == 0)
        {
            WriteWarning(NoVaultRegistered);
        }
    }
}

using System.Collections;
using System.Management.Automation;

namespace Microsoft.PowerShell.SecretManagement;

/// <summary>
/// Register-SecretVault, copying SecretManagement 1.1.2's parameters
/// (<c>[[-Name] &lt;string&gt;] [-ModuleName] &lt;string&gt; [-VaultParameters &lt;Hashtable&gt;] [-DefaultVault] [-AllowClobber]
/// [-Description &lt;string&gt;] [-PassThru]</c>, ShouldProcess), the name defaulting to the module name, the first vault
/// becoming the default one, and a taken name failing with terminating <c>RegisterSecretVaultInvalidVaultName</c>
/// unless -AllowClobber. Not copied: no extension module is loaded or checked; every vault registered here
/// supports metadata, as SecretStore does (use <see cref="TestVaults.Register"/> for one that does not).
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "SecretVault", SupportsShouldProcess = true)]
[OutputType(typeof(SecretVaultInfo))]
public sealed class RegisterSecretVaultCommand : SecretCmdlet
{
    /// <summary>The vault's name; the module name when omitted.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>The extension module's name.</summary>
    [Parameter(Position = 1, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string ModuleName { get; set; } = string.Empty;

    /// <summary>Parameters handed to the extension.</summary>
    [Parameter]
    public Hashtable? VaultParameters { get; set; }

    /// <summary>Makes this the default vault.</summary>
    [Parameter]
    public SwitchParameter DefaultVault { get; set; }

    /// <summary>Replaces a registration of the same name.</summary>
    [Parameter]
    public SwitchParameter AllowClobber { get; set; }

    /// <summary>An optional description.</summary>
    [Parameter]
    public string? Description { get; set; }

    /// <summary>Writes the new vault's description.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        string name = string.IsNullOrEmpty(Name) ? ModuleName : Name;
        if (!AllowClobber && VaultRegistry.Resolve(name) is not null)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException("Provided Name for vault is already being used."),
                "RegisterSecretVaultInvalidVaultName",
                ErrorCategory.InvalidArgument,
                this));
        }

        if (!ShouldProcess(name, VerbsLifecycle.Register))
        {
            return;
        }

        VaultRegistry.Register(name, ModuleName, DefaultVault, supportsMetadata: true, Description ?? string.Empty, VaultParameters, allowClobber: true);
        if (PassThru)
        {
            WriteObject(VaultRegistry.Describe().First(vault => string.Equals(vault.Name, name, StringComparison.OrdinalIgnoreCase)));
        }
    }
}

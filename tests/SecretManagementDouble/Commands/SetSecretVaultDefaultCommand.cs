using System.Management.Automation;

namespace Microsoft.PowerShell.SecretManagement;

/// <summary>
/// Set-SecretVaultDefault: <c>[-Name] &lt;string&gt;</c> or <c>-ClearDefault</c>, ShouldProcess. An unknown name fails
/// with a terminating error; its id (<c>VaultNotFound</c>) and message are unverified.
/// </summary>
[Cmdlet(VerbsCommon.Set, "SecretVaultDefault", SupportsShouldProcess = true, DefaultParameterSetName = NameParameterSet)]
public sealed class SetSecretVaultDefaultCommand : SecretCmdlet
{
    private const string NameParameterSet = "NameParameterSet";
    private const string ClearParameterSet = "ClearParameterSet";

    /// <summary>The vault to make the default one.</summary>
    [Parameter(Position = 0, Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = NameParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>Leaves no default vault.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ClearParameterSet)]
    public SwitchParameter ClearDefault { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        string? target = ClearDefault ? null : Name;
        if (!ShouldProcess(target ?? "(none)", "Set default vault"))
        {
            return;
        }

        if (!VaultRegistry.SetDefault(target))
        {
            ThrowTerminatingError(new ErrorRecord(
                new ItemNotFoundException("Vault name was not found."),
                "VaultNotFound",
                ErrorCategory.ObjectNotFound,
                this));
        }
    }
}

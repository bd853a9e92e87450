using System.Globalization;
using System.Management.Automation;

namespace Microsoft.PowerShell.SecretManagement;

/// <summary>
/// Remove-Secret, copying SecretManagement 1.1.2 with a SecretStore 1.0.6 vault behind it:
/// <list type="bullet">
/// <item>parameters <c>[-Name] &lt;string&gt; [-Vault] &lt;string&gt;</c>, both mandatory (no -Vault: the engine's
/// <c>MissingMandatoryParameter</c>), or <c>-InputObject &lt;SecretInformation&gt;</c>; ShouldProcess;</item>
/// <item>unknown vault: terminating <c>GetSecretVaultNotFound</c>;</item>
/// <item>absent secret: SecretStore's non-terminating <c>SecretStoreRemoveSecretFailed</c>, InvalidOperation,
/// ItemNotFoundException "Remove-Secret error in vault V : Secret not found", no target object;</item>
/// <item>a locked SecretStore: the <see cref="PasswordRequiredException"/> escapes the cmdlet (engine-made id
/// <c>Microsoft.PowerShell.SecretManagement.PasswordRequiredException,...RemoveSecretCommand</c>);</item>
/// <item>a call that overlaps another vault call of the process: non-terminating <c>RemoveSecretInvalidOperation</c>,
/// "Unable to remove secret x from vault V", and nothing is removed.</item>
/// </list>
/// </summary>
[Cmdlet(VerbsCommon.Remove, "Secret", SupportsShouldProcess = true, DefaultParameterSetName = NameParameterSet)]
public sealed class RemoveSecretCommand : SecretCmdlet
{
    private const string NameParameterSet = "NameParameterSet";
    private const string InfoParameterSet = "InfoParameterSet";

    /// <summary>The secret's name.</summary>
    [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true, ParameterSetName = NameParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>The vault to remove it from.</summary>
    [Parameter(Position = 1, Mandatory = true, ParameterSetName = NameParameterSet)]
    [ValidateNotNullOrEmpty]
    public string Vault { get; set; } = string.Empty;

    /// <summary>A secret description from Get-SecretInfo.</summary>
    [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true, ParameterSetName = InfoParameterSet)]
    public SecretInformation? InputObject { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == InfoParameterSet)
        {
            Name = InputObject!.Name;
            Vault = InputObject.VaultName;
        }

        if (!ShouldProcess(Vault, "Remove secret by name from vault"))
        {
            return;
        }

        string vault = GetExtensionVault(Vault);
        bool removed;
        try
        {
            removed = ExtensionRunspace.Run(() => VaultRegistry.Remove(vault, Name));
        }
        catch (PSInvalidOperationException ex) when (ex.Message == ExtensionRunspace.ConcurrentInvokeMessage)
        {
            WriteError(ExtensionRunspace.Failure(ex, "RemoveSecretInvalidOperation", "Unable to remove secret {0} from vault {1}", Name, vault));
            return;
        }

        if (removed)
        {
            WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Secret {0} was successfully removed from vault {1}.", Name, vault));
            return;
        }

        WriteError(new ErrorRecord(
            new ItemNotFoundException(string.Format(CultureInfo.InvariantCulture, "Remove-Secret error in vault {0} : Secret not found", vault)),
            "SecretStoreRemoveSecretFailed",
            ErrorCategory.InvalidOperation,
            null));
    }
}

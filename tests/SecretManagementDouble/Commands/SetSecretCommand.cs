using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Security;

namespace Microsoft.PowerShell.SecretManagement;

/// <summary>
/// Set-Secret, copying SecretManagement 1.1.2 with a SecretStore 1.0.6 vault behind it:
/// <list type="bullet">
/// <item>parameters <c>[-Name] &lt;string&gt; -SecureStringSecret &lt;SecureString&gt;</c> (default set) or <c>-Secret &lt;object&gt;</c>
/// (both position 1, from the pipeline), <c>[[-Vault] &lt;string&gt;]</c> (position 2), <c>[[-Metadata] &lt;Hashtable&gt;]</c>
/// (position 3), <c>-NoClobber</c>, ShouldProcess;</item>
/// <item>the "no extension vaults registered" warning;</item>
/// <item>-Vault, else the default vault, else terminating <c>SetSecretCommandFailNoVault</c>;</item>
/// <item>unknown vault: terminating <c>GetSecretVaultNotFound</c>;</item>
/// <item>-NoClobber on an existing name: terminating <c>SetSecretCommandAlreadyExistsWithNoClobber</c>, ResourceExists,
/// "A secret with name x already exists in vault V.";</item>
/// <item>an existing secret is overwritten silently and its metadata dropped unless -Metadata is given again;</item>
/// <item>a locked SecretStore: the <see cref="PasswordRequiredException"/> escapes the cmdlet, so the engine reports it
/// with the id <c>Microsoft.PowerShell.SecretManagement.PasswordRequiredException,...SetSecretCommand</c>;</item>
/// <item>value types string, SecureString, PSCredential, byte[], Hashtable (values string, byte[], SecureString,
/// PSCredential; at most 20 entries); metadata values string, int, DateTime. A refused value gets SecretStore's
/// error id <c>SecretStoreSetSecretFailed</c> (InvalidOperation); the message wording is not the real one;</item>
/// <item>-Metadata on a vault registered without metadata support: "Cannot store secret x. Vault V does not support
/// secret metadata." and nothing is written;</item>
/// <item>a call that overlaps another vault call of the process: non-terminating <c>SetSecretInvalidOperation</c>,
/// "Unable to add secret x to vault V", and nothing is written.</item>
/// </list>
/// The value is stored as a copy.
/// </summary>
[Cmdlet(VerbsCommon.Set, "Secret", SupportsShouldProcess = true, DefaultParameterSetName = SecureStringParameterSet)]
public sealed class SetSecretCommand : SecretCmdlet
{
    private const string SecureStringParameterSet = "SecureStringParameterSet";
    private const string ObjectParameterSet = "ObjectParameterSet";

    /// <summary>The secret's name.</summary>
    [Parameter(ParameterSetName = ObjectParameterSet, Position = 0, Mandatory = true)]
    [Parameter(ParameterSetName = SecureStringParameterSet, Position = 0, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>The secret: string, SecureString, PSCredential, byte[] or Hashtable.</summary>
    [Parameter(Position = 1, Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectParameterSet)]
    public object? Secret { get; set; }

    /// <summary>The secret as a SecureString.</summary>
    [Parameter(Position = 1, Mandatory = true, ValueFromPipeline = true, ParameterSetName = SecureStringParameterSet)]
    public SecureString? SecureStringSecret { get; set; }

    /// <summary>The vault to write to; the default vault when omitted.</summary>
    [Parameter(Position = 2, ParameterSetName = ObjectParameterSet)]
    [Parameter(Position = 2, ParameterSetName = SecureStringParameterSet)]
    public string? Vault { get; set; }

    /// <summary>Non-secret metadata (string, int and DateTime values).</summary>
    [Parameter(Position = 3, ParameterSetName = ObjectParameterSet)]
    [Parameter(Position = 3, ParameterSetName = SecureStringParameterSet)]
    public Hashtable? Metadata { get; set; }

    /// <summary>Fails instead of overwriting an existing secret.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing() => CheckForRegisteredVaults();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!ShouldProcess(Vault, "Write secret to vault and override any existing secret of the same name"))
        {
            return;
        }

        object? secret = ParameterSetName == SecureStringParameterSet ? SecureStringSecret : SecretValues.Unwrap(Secret);

        string? vault = !string.IsNullOrEmpty(Vault) ? GetExtensionVault(Vault) : VaultRegistry.DefaultVaultName;
        if (vault is null)
        {
            ThrowTerminatingError(new ErrorRecord(
                new PSInvalidOperationException("Unable to set secret because no vault was provided and there is no default vault designated."),
                "SetSecretCommandFailNoVault",
                ErrorCategory.InvalidOperation,
                this));
        }

        // The real check reads the secret through the vault, so a locked store throws here too.
        if (NoClobber && VaultRegistry.Read(vault!, Name, countCall: false) is not null)
        {
            ThrowTerminatingError(new ErrorRecord(
                new PSInvalidOperationException(string.Format(
                    CultureInfo.InvariantCulture, "A secret with name {0} already exists in vault {1}.", Name, vault)),
                "SetSecretCommandAlreadyExistsWithNoClobber",
                ErrorCategory.ResourceExists,
                this));
        }

        WriteOutcome outcome;
        string? problem;
        try
        {
            (outcome, problem) = ExtensionRunspace.Run(() => (VaultRegistry.Write(vault!, Name, secret, Metadata, out string? why), why));
        }
        catch (PSInvalidOperationException ex) when (ex.Message == ExtensionRunspace.ConcurrentInvokeMessage)
        {
            WriteError(ExtensionRunspace.Failure(ex, "SetSecretInvalidOperation", "Unable to add secret {0} to vault {1}", Name, vault!));
            return;
        }

        switch (outcome)
        {
            case WriteOutcome.MetadataNotSupported:
                // The message is the real one (Set-Secret help, example 4); the error id is unverified.
                WriteError(new ErrorRecord(
                    new PSNotSupportedException(string.Format(
                        CultureInfo.InvariantCulture, "Cannot store secret {0}. Vault {1} does not support secret metadata.", Name, vault)),
                    "SetSecretMetadataNotSupported",
                    ErrorCategory.InvalidOperation,
                    this));
                break;
            case WriteOutcome.InvalidValue:
                // SecretStore's extension reports its failures under this id, with an ItemNotFoundException.
                WriteError(new ErrorRecord(
                    new ItemNotFoundException(string.Format(
                        CultureInfo.InvariantCulture, "Set-Secret error in vault {0} : {1}", vault, problem)),
                    "SecretStoreSetSecretFailed",
                    ErrorCategory.InvalidOperation,
                    null));
                break;
            default:
                WriteVerbose(string.Format(CultureInfo.InvariantCulture, "Secret {0} was successfully added to vault {1}.", Name, vault));
                break;
        }
    }
}

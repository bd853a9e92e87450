using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Net;
using System.Security;

namespace Microsoft.PowerShell.SecretManagement;

/// <summary>
/// Get-Secret, copying SecretManagement 1.1.2:
/// <list type="bullet">
/// <item>parameters <c>[-Name] &lt;string&gt; [[-Vault] &lt;string&gt;] [-AsPlainText]</c>, or <c>-InputObject &lt;SecretInformation&gt;</c>;</item>
/// <item>the "no extension vaults registered" warning, then the search;</item>
/// <item>with -Vault: only that vault (unknown vault: terminating <c>GetSecretVaultNotFound</c>, "Vault not found in registry: X");</item>
/// <item>without: the default vault first, then the others by name; the first hit wins;</item>
/// <item>not found: non-terminating <c>GetSecretNotFound</c>, ObjectNotFound, ItemNotFoundException "The secret x was not found.";</item>
/// <item>a locked SecretStore: non-terminating <c>GetSecretException</c>, InvalidOperation, the
/// <see cref="PasswordRequiredException"/> itself as the record's exception; the search goes on, and with -Vault no
/// not-found error follows (as in the real code path);</item>
/// <item>string secrets come back as SecureString unless -AsPlainText, SecureString as string with -AsPlainText,
/// Hashtable elements converted the same way; every result is a new object;</item>
/// <item>a call that overlaps another vault call of the process (the real module's one static runspace): non-terminating
/// <c>GetSecretInvalidOperation</c>, "Unable to get secret x from vault V", wrapping the engine's "pipeline is already
/// running" <see cref="PSInvalidOperationException"/>; then, as in the real code path, the secret reads as absent;</item>
/// <item>error records carry the cmdlet as target object, as the real ones do (the collision record carries none: the
/// real one carries the vault's extension module object).</item>
/// </list>
/// Not copied: the real module probes the default vault with Get-SecretInfo before reading it.
/// </summary>
[Cmdlet(VerbsCommon.Get, "Secret", DefaultParameterSetName = NameParameterSet)]
[OutputType(typeof(object))]
public sealed class GetSecretCommand : SecretCmdlet
{
    private const string NameParameterSet = "NameParameterSet";
    private const string InfoParameterSet = "InfoParameterSet";

    /// <summary>The secret's name (no wildcards).</summary>
    [Parameter(Position = 0, Mandatory = true, ValueFromPipeline = true, ParameterSetName = NameParameterSet)]
    public string Name { get; set; } = string.Empty;

    /// <summary>The one vault to read; all vaults when omitted.</summary>
    [Parameter(Position = 1, ParameterSetName = NameParameterSet)]
    public string? Vault { get; set; }

    /// <summary>A secret description from Get-SecretInfo.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InfoParameterSet)]
    public SecretInformation? InputObject { get; set; }

    /// <summary>Returns string (and SecureString) secrets as plain text.</summary>
    [Parameter]
    public SwitchParameter AsPlainText { get; set; }

    private enum ReadResult
    {
        Found,
        NotFound,
        Failed,
    }

    /// <inheritdoc />
    protected override void BeginProcessing() => CheckForRegisteredVaults();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == InfoParameterSet)
        {
            Name = InputObject!.Name;
            Vault = InputObject.VaultName;
        }

        if (!string.IsNullOrEmpty(Vault))
        {
            if (TryReadAndWrite(GetExtensionVault(Vault)) == ReadResult.NotFound)
            {
                WriteNotFoundError();
            }

            return;
        }

        foreach (string vault in VaultRegistry.SearchOrder())
        {
            if (TryReadAndWrite(vault) == ReadResult.Found)
            {
                return;
            }
        }

        WriteNotFoundError();
    }

    private ReadResult TryReadAndWrite(string vault)
    {
        StoredSecret? secret;
        try
        {
            secret = ExtensionRunspace.Run(() => VaultRegistry.Read(vault, Name, countCall: true));
        }
        catch (PasswordRequiredException ex)
        {
            WriteError(new ErrorRecord(ex, "GetSecretException", ErrorCategory.InvalidOperation, this));
            return ReadResult.Failed;
        }
        catch (PSInvalidOperationException ex) when (ex.Message == ExtensionRunspace.ConcurrentInvokeMessage)
        {
            // As the real InvokeGetSecret: the failure is written and the secret reads as absent, so with -Vault a
            // GetSecretNotFound follows.
            WriteError(ExtensionRunspace.Failure(ex, "GetSecretInvalidOperation", "Unable to get secret {0} from vault {1}", Name, vault));
            return ReadResult.NotFound;
        }

        if (secret is null)
        {
            return ReadResult.NotFound;
        }

        WriteObject(secret.Value is Hashtable table ? ConvertElements(table) : Convert(secret.Value));
        return ReadResult.Found;
    }

    private Hashtable ConvertElements(Hashtable table)
    {
        var converted = new Hashtable(table.Count);
        foreach (DictionaryEntry entry in table)
        {
            converted.Add(entry.Key, Convert(entry.Value!));
        }

        return converted;
    }

    private object Convert(object item)
    {
        if (!AsPlainText && item is string text)
        {
            var secure = new SecureString();
            foreach (char c in text)
            {
                secure.AppendChar(c);
            }

            return secure;
        }

        if (AsPlainText && item is SecureString secureString)
        {
            return new NetworkCredential(string.Empty, secureString).Password;
        }

        return item;
    }

    private void WriteNotFoundError()
        => WriteError(new ErrorRecord(
            new ItemNotFoundException(string.Format(CultureInfo.InvariantCulture, "The secret {0} was not found.", Name)),
            "GetSecretNotFound",
            ErrorCategory.ObjectNotFound,
            this));
}

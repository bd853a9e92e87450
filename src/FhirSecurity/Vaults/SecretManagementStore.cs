using System.Collections;
using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Net;
using System.Security;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Storage;

namespace FhirSecurity.Vaults;

/// <summary>
/// The engine's secret store over Microsoft.PowerShell.SecretManagement. Commands are called by
/// module-qualified name in the caller's runspace, on the pipeline thread, so the user's own vault registrations,
/// unlocked SecretStore sessions and module versions apply, and no runspace is created per lookup. Every vault
/// failure becomes one error id with a message that says what to do. The error records SecretManagement adds to
/// <c>$Error</c> are taken out again: what the user sees is the module's own error, or nothing when the call's
/// answer was not an error to the module (a secret that does not exist, a collision that was retried).
/// </summary>
internal sealed class SecretManagementStore : ISecretStore
{
    private const string ModuleName = "Microsoft.PowerShell.SecretManagement";

    private SecretManagementStore()
    {
    }

    /// <summary>The store the cmdlets use: SecretManagement behind the process's one vault gate.</summary>
    public static ISecretStore Gated() => new GatedSecretStore(new SecretManagementStore(), VaultCallGate.Process);

    /// <inheritdoc />
    public IReadOnlyList<VaultInfo> GetVaults()
        => Invoke("Get-SecretVault", new Hashtable(), vault: null)
            .Select(v => new VaultInfo(
                Property<string>(v, "Name") ?? string.Empty,
                Property<string>(v, "ModuleName") ?? string.Empty,
                Property<bool>(v, "IsDefault")))
            .Where(v => v.Name.Length > 0)
            .ToArray();

    /// <inheritdoc />
    public IReadOnlyList<SecretEntry> GetSecretInfo(string namePattern, string? vault)
    {
        var parameters = new Hashtable { ["Name"] = namePattern };
        if (vault is not null)
        {
            parameters["Vault"] = vault;
        }

        return Invoke("Get-SecretInfo", parameters, vault)
            .Select(s => new SecretEntry(
                Property<string>(s, "Name") ?? string.Empty, Property<string>(s, "VaultName") ?? string.Empty))
            .Where(s => s.Name.Length > 0)
            .ToArray();
    }

    /// <inheritdoc />
    public string? GetSecret(string name, string vault)
    {
        Collection<PSObject> found;
        try
        {
            var parameters = new Hashtable { ["Name"] = name, ["Vault"] = vault, ["AsPlainText"] = true };
            found = Invoke("Get-Secret", parameters, vault);
        }
        catch (SecretNotFoundSignal)
        {
            return null;
        }

        return found.Select(o => o.BaseObject).FirstOrDefault() switch
        {
            null => null,
            string text => text,
            SecureString secure => new NetworkCredential(string.Empty, secure).Password,
            object other => throw new FhirSecurityException(
                ErrorIds.DefinitionCorrupt,
                FailureCategory.InvalidData,
                $"The vault secret '{name}' in vault '{vault}' holds a {other.GetType().Name}, not a FhirSecurity "
                + "definition (a JSON string). Remove or rename that secret, then recreate the definition.",
                name),
        };
    }

    /// <inheritdoc />
    public void SetSecret(
        string name, string value, string vault, IReadOnlyDictionary<string, object> metadata, bool noClobber)
    {
        var parameters = new Hashtable
        {
            ["Name"] = name,
            ["SecureStringSecret"] = new NetworkCredential(string.Empty, value).SecurePassword,
            ["Vault"] = vault,
            ["Metadata"] = new Hashtable(metadata.ToDictionary(p => p.Key, p => p.Value)),
        };
        if (noClobber)
        {
            parameters["NoClobber"] = true;
        }

        try
        {
            Invoke("Set-Secret", parameters, vault);
        }
        catch (MetadataUnsupportedSignal)
        {
            // Metadata only helps someone browsing the vault; nothing reads it back (docs/definitions.md), so a vault
            // without it still stores the definition. The failed attempt wrote nothing: this is the only write.
            parameters.Remove("Metadata");
            Invoke("Set-Secret", parameters, vault);
        }
    }

    /// <inheritdoc />
    public void RemoveSecret(string name, string vault)
        => Invoke("Remove-Secret", new Hashtable { ["Name"] = name, ["Vault"] = vault }, vault);

    private static Collection<PSObject> Invoke(string command, Hashtable parameters, string? vault)
    {
        using var errorVariable = ErrorVariableGuard.Enter();
        using var shell = PowerShell.Create(RunspaceMode.CurrentRunspace);
        shell.AddCommand($"{ModuleName}\\{command}").AddParameters(parameters);
        Collection<PSObject> output;
        try
        {
            output = shell.Invoke();
        }
        catch (CommandNotFoundException ex)
        {
            throw NotInstalled(ex);
        }
        catch (RuntimeException ex) when (ex.ErrorRecord is not null)
        {
            throw Translate(ex.ErrorRecord, command, vault);
        }

        if (shell.Streams.Error.Count > 0)
        {
            throw Translate(shell.Streams.Error[0], command, vault);
        }

        return output;
    }

    private static Exception Translate(ErrorRecord error, string command, string? vault)
    {
        string id = error.FullyQualifiedErrorId ?? string.Empty;
        string message = error.Exception?.Message ?? error.ToString();
        string where = vault is null ? "SecretManagement" : $"The vault '{vault}'";

        if (error.Exception is CommandNotFoundException
            || id.StartsWith("CommandNotFoundException", StringComparison.Ordinal))
        {
            return NotInstalled(error.Exception);
        }

        if (id.StartsWith("GetSecretNotFound", StringComparison.Ordinal))
        {
            return new SecretNotFoundSignal();
        }

        if (VaultCollision.IsCollision(error))
        {
            return new FhirSecurityException(
                ErrorIds.SecretVaultBusy,
                FailureCategory.ResourceBusy,
                $"{where} was busy: SecretManagement runs every vault call of the process in one shared runspace, and "
                + $"refused {command} because another call, made outside FhirSecurity in another runspace or thread, "
                + "was running. Make your own vault calls before or after parallel work (ForEach-Object -Parallel, "
                + "runspace pools), not inside it, then run this command again.",
                vault,
                error.Exception);
        }

        if (message.Contains("does not support secret metadata", StringComparison.OrdinalIgnoreCase))
        {
            return new MetadataUnsupportedSignal();
        }

        if (IsLocked(error))
        {
            return new FhirSecurityException(
                ErrorIds.SecretVaultLocked,
                FailureCategory.ResourceUnavailable,
                $"{where} is locked and needs its password. Run Unlock-SecretStore (interactive), or in automation: "
                + "Unlock-SecretStore -Password <SecureString> before this command, or configure the store with "
                + "Set-SecretStoreConfiguration -Authentication None.",
                vault,
                error.Exception);
        }

        if (id.Contains("VaultNotFound", StringComparison.Ordinal))
        {
            return new FhirSecurityException(
                ErrorIds.SecretVaultNotFound,
                FailureCategory.ObjectNotFound,
                $"{where} is not registered. Check the name with Get-SecretVault, or register it with "
                + "Register-SecretVault.",
                vault,
                error.Exception);
        }

        if (id.StartsWith("SetSecretCommandFailNoVault", StringComparison.Ordinal))
        {
            return new FhirSecurityException(
                ErrorIds.SecretVaultNoDefault,
                FailureCategory.ResourceUnavailable,
                "No vault was chosen and SecretManagement has no default vault. Pass -Vault, set "
                + "$env:FHIRSECURITY_VAULT, or run Set-SecretVaultDefault.",
                vault,
                error.Exception);
        }

        return new FhirSecurityException(
            ErrorIds.SecretVaultError,
            command.StartsWith("Get", StringComparison.Ordinal)
                ? FailureCategory.ReadError
                : FailureCategory.WriteError,
            $"{where} failed in {command}: {message} ({id})",
            vault,
            error.Exception);
    }

    private static bool IsLocked(ErrorRecord error)
    {
        if (error.FullyQualifiedErrorId?.Contains("PasswordRequiredException", StringComparison.Ordinal) == true)
        {
            return true;
        }

        for (Exception? ex = error.Exception; ex is not null; ex = ex.InnerException)
        {
            if (ex.GetType().Name == "PasswordRequiredException")
            {
                return true;
            }
        }

        return false;
    }

    private static FhirSecurityException NotInstalled(Exception? inner)
        => new(
            ErrorIds.SecretManagementNotInstalled,
            FailureCategory.NotInstalled,
            $"FhirSecurity keeps its definitions in SecretManagement vaults, and the module {ModuleName} is not "
            + $"installed. Run: Install-Module {ModuleName}, Microsoft.PowerShell.SecretStore -Scope CurrentUser; then "
            + "Register-SecretVault -Name FhirVault -ModuleName Microsoft.PowerShell.SecretStore -DefaultVault.",
            ModuleName,
            inner);

    private static T? Property<T>(PSObject item, string name)
        => item.Properties[name]?.Value is { } value && LanguagePrimitives.TryConvertTo(value, out T result)
            ? result
            : default;

    /// <summary>Get-Secret's "not found", which for this store is an answer, not an error.</summary>
    private sealed class SecretNotFoundSignal : Exception;

    /// <summary>The vault refused -Metadata; the write is retried without it.</summary>
    private sealed class MetadataUnsupportedSignal : Exception;
}

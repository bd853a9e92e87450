using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Storage;

namespace FhirSecurity.Commands;

/// <summary>
/// The write steps the New-/Set- cmdlets of every kind share. Kept out of the public cmdlet classes: PowerShell
/// loads every exported type while it imports the module, before the engine's load context exists, so exported
/// types must not need engine types to load.
/// </summary>
internal static class DefinitionWrites
{
    /// <summary>
    /// The New-/Import- step every kind shares: every check (so -WhatIf reports a write that would succeed), then ask (ShouldProcess), write, and with
    /// -PassThru show the result. Returns null when the user declined (-WhatIf, -Confirm).
    /// </summary>
    public static StoredDefinition<T>? CreateDefinition<T>(this FhirCommand cmdlet, T definition, bool force, bool passThru)
        where T : Definition
    {
        StoredDefinition<T> pending = cmdlet.Store.PrepareCreate(definition, cmdlet.Vault, force);
        if (!cmdlet.ShouldProcess($"{definition.Kind.Describe()} '{definition.Name}' in vault '{pending.Vault}'", pending.Definition.Revision > 1 ? "Replace" : "Create"))
        {
            return null;
        }

        StoredDefinition<T> stored = cmdlet.Store.Commit(pending);
        WritePassThru(cmdlet, stored, passThru);
        return stored;
    }

    /// <summary>
    /// The Set- step every kind shares: choose the vault, ask, apply <paramref name="change"/> to the stored
    /// definition (checked and written by the store), and with -PassThru show the result.
    /// </summary>
    public static StoredDefinition<T>? UpdateDefinition<T>(this FhirCommand cmdlet, DefinitionKind kind, string name, Func<T, T> change, bool passThru, string action = "Update")
        where T : Definition
    {
        StoredDefinition<T> pending = cmdlet.Store.PrepareUpdate(kind, name, cmdlet.Vault, change);
        if (!cmdlet.ShouldProcess($"{kind.Describe()} '{name}' in vault '{pending.Vault}'", action))
        {
            return null;
        }

        StoredDefinition<T> stored = cmdlet.Store.Commit(pending);
        WritePassThru(cmdlet, stored, passThru);
        return stored;
    }

    private static void WritePassThru<T>(FhirCommand cmdlet, StoredDefinition<T> stored, bool passThru)
        where T : Definition
    {
        if (passThru)
        {
            cmdlet.WriteObject(Views.Of(stored.Definition, stored.Vault));
        }
    }
}

using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Definitions.Edits;
using FhirSecurity.Core.Storage;

namespace FhirSecurity.Commands;

/// <summary>
/// The one write path of the New-/Set- cmdlets of every kind. Kept out of the public cmdlet classes: PowerShell
/// loads every exported type while it imports the module, before the engine's load context exists, so exported
/// types must not need engine types to load.
/// </summary>
internal static class DefinitionWrites
{
    /// <summary>
    /// Makes (New-, Import-: <paramref name="force"/> given) or changes (Set-: <paramref name="force"/> null) the
    /// definition <paramref name="name"/> by <paramref name="edit"/>: every check first, so -WhatIf and -Confirm
    /// are asked only about a write that would succeed; then ask (ShouldProcess), write, and with -PassThru show the
    /// result. Returns null when the user declined.
    /// </summary>
    public static StoredDefinition<T>? WriteDefinition<T>(
        this FhirCommand cmdlet,
        string name,
        IDefinitionEdit<T> edit,
        bool? force,
        bool passThru,
        string? action = null)
        where T : Definition
    {
        StoredDefinition<T> pending = force is { } replace
            ? cmdlet.Store.PrepareCreate(name, edit, cmdlet.Vault, replace)
            : cmdlet.Store.PrepareUpdate(name, edit, cmdlet.Vault);
        action ??= force is null ? "Update" : pending.Definition.Revision > 1 ? "Replace" : "Create";
        if (!cmdlet.ShouldProcess($"{edit.Kind.Describe()} '{name}' in vault '{pending.Vault}'", action))
        {
            return null;
        }

        StoredDefinition<T> stored = cmdlet.Store.Commit(pending);
        if (passThru)
        {
            cmdlet.WriteObject(Views.Of(stored.Definition, stored.Vault));
        }

        return stored;
    }
}

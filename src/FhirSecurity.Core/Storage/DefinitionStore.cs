using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Definitions.Edits;
using FhirSecurity.Core.Errors;

namespace FhirSecurity.Core.Storage;

/// <summary>
/// Definitions in vaults: one secret per definition, so every write is a single Set-Secret and a failed command
/// leaves the vault as it was; <see cref="VaultChoice"/> says which vault. Writes are prepared (every check, no
/// write) and then committed, so -WhatIf and -Confirm ask only about a write that would succeed.
/// </summary>
public sealed class DefinitionStore
{
    private readonly ISecretStore _secrets;
    private readonly TimeProvider _clock;

    /// <summary>Creates a store over a secret store.</summary>
    /// <param name="secrets">The vaults.</param>
    /// <param name="preferredVault">The user's vault preference, or null.</param>
    /// <param name="clock">The time written into definitions.</param>
    public DefinitionStore(ISecretStore secrets, string? preferredVault, TimeProvider clock)
    {
        _secrets = secrets;
        Vaults = new VaultChoice(secrets, preferredVault);
        _clock = clock;
    }

    /// <summary>Which vault a read searches and a write goes to.</summary>
    public VaultChoice Vaults { get; }

    /// <summary>
    /// A definition by exact name, or null. Searches the chosen vault, else every vault, default first.
    /// </summary>
    public StoredDefinition<T>? Find<T>(DefinitionKind kind, string name, string? vault)
        where T : Definition
    {
        DefinitionName.Validate(name, kind);
        string secretName = DefinitionName.ToSecretName(kind, name);
        foreach (string candidate in Vaults.ReadVaults(vault))
        {
            string? json = _secrets.GetSecret(secretName, candidate);
            if (json is not null)
            {
                return new StoredDefinition<T>((T)DefinitionDocument.Deserialize(json, kind, secretName), candidate);
            }
        }

        return null;
    }

    /// <summary>A definition by exact name; throws <c>DefinitionNotFound</c> when there is none.</summary>
    public StoredDefinition<T> Get<T>(DefinitionKind kind, string name, string? vault)
        where T : Definition
        => Find<T>(kind, name, vault) ?? throw NotFound(kind, name, vault ?? Vaults.Preferred);

    /// <summary>
    /// Definitions whose names match a wildcard pattern. A document that cannot be read is reported to
    /// <paramref name="onError"/> and skipped, so one bad secret does not hide the others.
    /// </summary>
    public IReadOnlyList<StoredDefinition<T>> List<T>(
        DefinitionKind kind,
        string pattern,
        string? vault,
        Action<FhirSecurityException> onError)
        where T : Definition
    {
        string secretPattern = DefinitionName.ToSecretPattern(kind, pattern);
        IReadOnlyList<string> vaults = Vaults.ReadVaults(vault);
        string? only = vaults.Count == 1 ? vaults[0] : null;
        var found = new List<StoredDefinition<T>>();
        foreach (SecretEntry entry in _secrets.GetSecretInfo(secretPattern, only)
                     .OrderBy(e => IndexOf(vaults, e.Vault))
                     .ThenBy(e => e.Name, StringComparer.OrdinalIgnoreCase))
        {
            if (DefinitionName.FromSecretName(kind, entry.Name) is null || IndexOf(vaults, entry.Vault) == int.MaxValue)
            {
                continue;
            }

            try
            {
                string? json = _secrets.GetSecret(entry.Name, entry.Vault);
                if (json is not null)
                {
                    found.Add(new StoredDefinition<T>(
                        (T)DefinitionDocument.Deserialize(json, kind, entry.Name), entry.Vault));
                }
            }
            catch (FhirSecurityException ex)
                when (ex.ErrorId is ErrorIds.DefinitionCorrupt or ErrorIds.DefinitionSchemaUnsupported)
            {
                onError(ex);
            }
        }

        return found;
    }

    /// <summary>
    /// Every check of a new definition (values, vault, references, name taken), without writing: what -WhatIf and
    /// -Confirm are asked about is a write that would succeed. <see cref="Commit{T}"/> writes it. Without
    /// <paramref name="force"/> an existing one of that name is an error; with it, the existing one is replaced
    /// and the revision continues from it.
    /// </summary>
    public StoredDefinition<T> PrepareCreate<T>(T definition, string? vault, bool force)
        where T : Definition
    {
        definition.Validate();
        string target = Vaults.ResolveWriteVault(vault);
        CheckReferences(definition, target);

        string secretName = DefinitionName.ToSecretName(definition.Kind, definition.Name);
        string? existingJson = _secrets.GetSecret(secretName, target);
        int revision = 1;
        if (existingJson is not null)
        {
            if (!force)
            {
                throw new FhirSecurityException(
                    ErrorIds.DefinitionAlreadyExists,
                    FailureCategory.ResourceExists,
                    $"A {definition.Kind.Describe()} named '{definition.Name}' already exists in vault '{target}'. Pass"
                    + $" -Force to replace it, or use Set-{definition.Kind.Noun()} to change it.",
                    definition.Name);
            }

            revision = PreviousRevision(existingJson, definition.Kind, secretName) + 1;
        }

        return new StoredDefinition<T>(definition with { Revision = revision, Updated = _clock.GetUtcNow() }, target);
    }

    /// <summary>
    /// <see cref="PrepareCreate{T}(T, string?, bool)"/> for what a New- command was given: the edit's rules make the
    /// definition, and nothing is read from a vault before they pass.
    /// </summary>
    public StoredDefinition<T> PrepareCreate<T>(string name, IDefinitionEdit<T> edit, string? vault, bool force)
        where T : Definition
        => PrepareCreate(edit.Create(name), vault, force);

    /// <summary>Writes a definition a <c>PrepareCreate</c> or <c>PrepareUpdate</c> overload checked.</summary>
    public StoredDefinition<T> Commit<T>(StoredDefinition<T> prepared)
        where T : Definition
    {
        Write(
            prepared.Definition,
            prepared.Vault,
            DefinitionName.ToSecretName(prepared.Definition.Kind, prepared.Definition.Name));
        return prepared;
    }

    /// <summary>
    /// Every check of a change to an existing definition in the chosen vault (it exists, the change is valid,
    /// references), without writing; the prepared definition has the next revision.
    /// </summary>
    public StoredDefinition<T> PrepareUpdate<T>(DefinitionKind kind, string name, string? vault, Func<T, T> change)
        where T : Definition
    {
        string target = Vaults.ResolveWriteVault(vault);
        StoredDefinition<T> current = Find<T>(kind, name, target) ?? throw NotFound(kind, name, target);
        T changed = change(current.Definition) with
        {
            Name = current.Definition.Name,
            Revision = current.Definition.Revision + 1,
            Updated = _clock.GetUtcNow(),
        };
        changed.Validate();
        CheckReferences(changed, target);
        return new StoredDefinition<T>(changed, target);
    }

    /// <summary>
    /// <see cref="PrepareUpdate{T}(DefinitionKind, string, string?, Func{T, T})"/> with a Set- command's edit.
    /// </summary>
    public StoredDefinition<T> PrepareUpdate<T>(string name, IDefinitionEdit<T> edit, string? vault)
        where T : Definition
        => PrepareUpdate<T>(edit.Kind, name, vault, edit.ApplyTo);

    /// <summary>
    /// Every check of removing a definition from the chosen vault (it exists, no connection uses it), without
    /// removing. Refuses (<c>DefinitionInUse</c>) while a connection in that vault still references it, naming the
    /// connections.
    /// </summary>
    public PendingRemoval PrepareRemove(DefinitionKind kind, string name, string? vault)
    {
        DefinitionName.Validate(name, kind);
        string target = Vaults.ResolveWriteVault(vault);
        string secretName = DefinitionName.ToSecretName(kind, name);
        if (_secrets.GetSecret(secretName, target) is null)
        {
            throw NotFound(kind, name, target);
        }

        if (kind != DefinitionKind.Connection)
        {
            string[] users = List<ConnectionDefinition>(DefinitionKind.Connection, "*", target, _ => { })
                .Where(c => c.Definition.References.Any(
                    r => r.Kind == kind && string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)))
                .Select(c => c.Definition.Name)
                .ToArray();
            if (users.Length > 0)
            {
                throw new FhirSecurityException(
                    ErrorIds.DefinitionInUse,
                    FailureCategory.InvalidOperation,
                    $"The {kind.Describe()} '{name}' is used by the connection(s)"
                    + $" {string.Join(", ", users.Select(u => $"'{u}'"))} in vault '{target}'. Change or remove those"
                    + " connections first (Set-FhirConnection, Remove-FhirConnection).",
                    name);
            }
        }

        return new PendingRemoval(kind, name, target);
    }

    /// <summary>Removes what <see cref="PrepareRemove"/> checked.</summary>
    public void CommitRemove(PendingRemoval removal)
    {
        _secrets.RemoveSecret(DefinitionName.ToSecretName(removal.Kind, removal.Name), removal.Vault);
        DefinitionChanges.Record();
    }

    private void Write(Definition definition, string vault, string secretName)
    {
        var metadata = new Dictionary<string, object>
        {
            ["FhirSecurityKind"] = definition.Kind.ToString(),
            ["FhirSecuritySchema"] = DefinitionDocument.SchemaVersion,
            ["FhirSecurityRevision"] = definition.Revision,
            ["FhirSecurityUpdated"] = definition.Updated.UtcDateTime,
        };
        _secrets.SetSecret(secretName, DefinitionDocument.Serialize(definition), vault, metadata, noClobber: false);
        DefinitionChanges.Record();
    }

    private void CheckReferences(Definition definition, string vault)
    {
        foreach (DefinitionReference reference in definition.References)
        {
            string secretName = DefinitionName.ToSecretName(reference.Kind, reference.Name);
            string? json = _secrets.GetSecret(secretName, vault);
            if (json is not null)
            {
                DefinitionDocument.Deserialize(json, reference.Kind, secretName);
                continue;
            }

            DefinitionKind? other = Enum.GetValues<DefinitionKind>()
                .Where(k => k != reference.Kind && k != DefinitionKind.Connection)
                .Cast<DefinitionKind?>()
                .FirstOrDefault(
                    k => _secrets.GetSecret(DefinitionName.ToSecretName(k!.Value, reference.Name), vault) is not null);
            if (other is { } wrongKind)
            {
                throw new FhirSecurityException(
                    ErrorIds.ReferencedDefinitionWrongKind,
                    FailureCategory.InvalidArgument,
                    $"'{reference.Name}' in vault '{vault}' is a {wrongKind.Describe()}, not a"
                    + $" {reference.Kind.Describe()}. Pass it with the parameter of its kind, or create a"
                    + $" {reference.Kind.Describe()} with {reference.Kind.NewCommand()}.",
                    reference.Name);
            }

            throw new FhirSecurityException(
                ErrorIds.ReferencedDefinitionNotFound,
                FailureCategory.ObjectNotFound,
                $"The {definition.Kind.Describe()} '{definition.Name}' refers to the {reference.Kind.Describe()}"
                + $" '{reference.Name}', which does not exist in vault '{vault}'. Create it first with"
                + $" {reference.Kind.NewCommand()} (in the same vault), or list what exists with"
                + $" {reference.Kind.GetCommand()}.",
                reference.Name);
        }
    }

    private static int PreviousRevision(string json, DefinitionKind kind, string secretName)
    {
        try
        {
            return DefinitionDocument.Deserialize(json, kind, secretName).Revision;
        }
        catch (FhirSecurityException)
        {
            return 0; // -Force over an unreadable document starts again; the document is replaced whole.
        }
    }

    private static int IndexOf(IReadOnlyList<string> vaults, string vault)
    {
        for (int i = 0; i < vaults.Count; i++)
        {
            if (string.Equals(vaults[i], vault, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    private static FhirSecurityException NotFound(DefinitionKind kind, string name, string? vault)
        => new(
            ErrorIds.DefinitionNotFound,
            FailureCategory.ObjectNotFound,
            $"No {kind.Describe()} named '{name}' was found {(vault is null ? "in any vault" : $"in vault '{vault}'")}."
            + $" List what exists with {kind.GetCommand()}, or create it with {kind.NewCommand()}.",
            name);
}

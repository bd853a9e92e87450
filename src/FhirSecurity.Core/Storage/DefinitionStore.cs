using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Definitions.Edits;
using FhirSecurity.Core.Errors;

namespace FhirSecurity.Core.Storage;

/// <summary>
/// Definitions in vaults: one secret per definition, so every write is a single Set-Secret and a failed command
/// leaves the vault as it was. Writes go only to the vault the user chose: <c>-Vault</c>, else the preference
/// (<c>$env:FHIRSECURITY_VAULT</c>), else the default vault. Reads without a choice search every vault, the
/// default first, as Get-Secret does.
/// </summary>
public sealed class DefinitionStore
{
    /// <summary>The environment variable that names the vault to use when a command has no -Vault.</summary>
    public const string VaultPreferenceVariable = "FHIRSECURITY_VAULT";

    private static long s_generation;

    private readonly ISecretStore _secrets;
    private readonly string? _preferredVault;
    private readonly TimeProvider _clock;

    /// <summary>Creates a store over a secret store.</summary>
    /// <param name="secrets">The vaults.</param>
    /// <param name="preferredVault">The user's vault preference, or null.</param>
    /// <param name="clock">The time written into definitions.</param>
    public DefinitionStore(ISecretStore secrets, string? preferredVault, TimeProvider clock)
    {
        _secrets = secrets;
        _preferredVault = string.IsNullOrWhiteSpace(preferredVault) ? null : preferredVault.Trim();
        _clock = clock;
    }

    /// <summary>
    /// Grows with every write or removal made through any store in the process: caches of resolved definitions
    /// compare it to know that a change made by this module must be read on the next request.
    /// </summary>
    public static long Generation => Interlocked.Read(ref s_generation);

    /// <summary>The vault a write goes to. Throws when there is none or the chosen one is not registered.</summary>
    public string ResolveWriteVault(string? requested)
    {
        IReadOnlyList<VaultInfo> vaults = RegisteredVaults();
        string? chosen = requested ?? _preferredVault;
        if (chosen is not null)
        {
            return FindVault(vaults, chosen, requested is null).Name;
        }

        return vaults.FirstOrDefault(v => v.IsDefault)?.Name
            ?? throw new FhirSecurityException(
                ErrorIds.SecretVaultNoDefault,
                FailureCategory.ResourceUnavailable,
                $"No vault was chosen and no default vault is set. Pass -Vault, set ${VaultPreferenceVariable}, or make a vault the default: Set-SecretVaultDefault -Name <vault>.");
    }

    /// <summary>A definition by exact name, or null. Searches the chosen vault, else every vault, default first.</summary>
    public StoredDefinition<T>? Find<T>(DefinitionKind kind, string name, string? vault)
        where T : Definition
    {
        DefinitionName.Validate(name, kind);
        string secretName = DefinitionName.ToSecretName(kind, name);
        foreach (string candidate in ReadVaults(vault))
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
        => Find<T>(kind, name, vault) ?? throw NotFound(kind, name, vault ?? _preferredVault);

    /// <summary>
    /// Definitions whose names match a wildcard pattern. A document that cannot be read is reported to
    /// <paramref name="onError"/> and skipped, so one bad secret does not hide the others.
    /// </summary>
    public IReadOnlyList<StoredDefinition<T>> List<T>(DefinitionKind kind, string pattern, string? vault, Action<FhirSecurityException> onError)
        where T : Definition
    {
        string secretPattern = DefinitionName.ToSecretPattern(kind, pattern);
        IReadOnlyList<string> vaults = ReadVaults(vault);
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
                    found.Add(new StoredDefinition<T>((T)DefinitionDocument.Deserialize(json, kind, entry.Name), entry.Vault));
                }
            }
            catch (FhirSecurityException ex) when (ex.ErrorId is ErrorIds.DefinitionCorrupt or ErrorIds.DefinitionSchemaUnsupported)
            {
                onError(ex);
            }
        }

        return found;
    }

    /// <summary>
    /// Writes a new definition. Without <paramref name="force"/> an existing one of that name is an error; with
    /// it, the existing one is replaced and the revision continues from it. References are checked first.
    /// </summary>
    public StoredDefinition<T> Create<T>(T definition, string? vault, bool force)
        where T : Definition
        => Commit(PrepareCreate(definition, vault, force));

    /// <summary>
    /// Every check of <see cref="Create{T}"/> (values, vault, references, name taken), without writing: what
    /// -WhatIf and -Confirm are asked about is a write that would succeed. <see cref="Commit{T}"/> writes it.
    /// </summary>
    public StoredDefinition<T> PrepareCreate<T>(T definition, string? vault, bool force)
        where T : Definition
    {
        definition.Validate();
        string target = ResolveWriteVault(vault);
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
                    $"A {definition.Kind.Describe()} named '{definition.Name}' already exists in vault '{target}'. Pass -Force to replace it, or use Set-{definition.Kind.Noun()} to change it.",
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
        Write(prepared.Definition, prepared.Vault, DefinitionName.ToSecretName(prepared.Definition.Kind, prepared.Definition.Name));
        return prepared;
    }

    /// <summary>Changes an existing definition in the chosen vault and bumps its revision.</summary>
    public StoredDefinition<T> Update<T>(DefinitionKind kind, string name, string? vault, Func<T, T> change)
        where T : Definition
        => Commit(PrepareUpdate(kind, name, vault, change));

    /// <summary>Every check of <see cref="Update{T}"/> (it exists, the change is valid, references), without writing.</summary>
    public StoredDefinition<T> PrepareUpdate<T>(DefinitionKind kind, string name, string? vault, Func<T, T> change)
        where T : Definition
    {
        string target = ResolveWriteVault(vault);
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
    /// Removes a definition from the chosen vault. Refuses (<c>DefinitionInUse</c>) while a connection in that
    /// vault still references it, naming the connections.
    /// </summary>
    public void Remove(DefinitionKind kind, string name, string? vault)
        => CommitRemove(PrepareRemove(kind, name, vault));

    /// <summary>Every check of <see cref="Remove"/> (it exists, no connection uses it), without removing.</summary>
    public PendingRemoval PrepareRemove(DefinitionKind kind, string name, string? vault)
    {
        DefinitionName.Validate(name, kind);
        string target = ResolveWriteVault(vault);
        string secretName = DefinitionName.ToSecretName(kind, name);
        if (_secrets.GetSecret(secretName, target) is null)
        {
            throw NotFound(kind, name, target);
        }

        if (kind != DefinitionKind.Connection)
        {
            string[] users = List<ConnectionDefinition>(DefinitionKind.Connection, "*", target, _ => { })
                .Where(c => c.Definition.References.Any(r => r.Kind == kind && string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)))
                .Select(c => c.Definition.Name)
                .ToArray();
            if (users.Length > 0)
            {
                throw new FhirSecurityException(
                    ErrorIds.DefinitionInUse,
                    FailureCategory.InvalidOperation,
                    $"The {kind.Describe()} '{name}' is used by the connection(s) {string.Join(", ", users.Select(u => $"'{u}'"))} in vault '{target}'. Change or remove those connections first (Set-FhirConnection, Remove-FhirConnection).",
                    name);
            }
        }

        return new PendingRemoval(kind, name, target);
    }

    /// <summary>Removes what <see cref="PrepareRemove"/> checked.</summary>
    public void CommitRemove(PendingRemoval removal)
    {
        _secrets.RemoveSecret(DefinitionName.ToSecretName(removal.Kind, removal.Name), removal.Vault);
        Interlocked.Increment(ref s_generation);
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
        Interlocked.Increment(ref s_generation);
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
                .FirstOrDefault(k => _secrets.GetSecret(DefinitionName.ToSecretName(k!.Value, reference.Name), vault) is not null);
            if (other is { } wrongKind)
            {
                throw new FhirSecurityException(
                    ErrorIds.ReferencedDefinitionWrongKind,
                    FailureCategory.InvalidArgument,
                    $"'{reference.Name}' in vault '{vault}' is a {wrongKind.Describe()}, not a {reference.Kind.Describe()}. Pass it with the parameter of its kind, or create a {reference.Kind.Describe()} with {reference.Kind.NewCommand()}.",
                    reference.Name);
            }

            throw new FhirSecurityException(
                ErrorIds.ReferencedDefinitionNotFound,
                FailureCategory.ObjectNotFound,
                $"The {definition.Kind.Describe()} '{definition.Name}' refers to the {reference.Kind.Describe()} '{reference.Name}', which does not exist in vault '{vault}'. Create it first with {reference.Kind.NewCommand()} (in the same vault), or list what exists with {reference.Kind.GetCommand()}.",
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

    private IReadOnlyList<VaultInfo> RegisteredVaults()
    {
        IReadOnlyList<VaultInfo> vaults = _secrets.GetVaults();
        return vaults.Count > 0
            ? vaults
            : throw new FhirSecurityException(
                ErrorIds.SecretVaultNotRegistered,
                FailureCategory.ResourceUnavailable,
                "No SecretManagement vault is registered. Register one first, for example: Install-Module Microsoft.PowerShell.SecretStore; Register-SecretVault -Name FhirVault -ModuleName Microsoft.PowerShell.SecretStore -DefaultVault");
    }

    private IReadOnlyList<string> ReadVaults(string? requested)
    {
        IReadOnlyList<VaultInfo> vaults = RegisteredVaults();
        string? chosen = requested ?? _preferredVault;
        return chosen is not null
            ? [FindVault(vaults, chosen, requested is null).Name]
            : vaults.OrderByDescending(v => v.IsDefault).Select(v => v.Name).ToArray();
    }

    private static VaultInfo FindVault(IReadOnlyList<VaultInfo> vaults, string name, bool fromPreference)
        => vaults.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase))
           ?? throw new FhirSecurityException(
               ErrorIds.SecretVaultNotFound,
               FailureCategory.ObjectNotFound,
               fromPreference
                   ? $"The vault '{name}' named by ${VaultPreferenceVariable} is not registered. Registered vaults: {string.Join(", ", vaults.Select(v => v.Name))}. Fix the variable or run Register-SecretVault."
                   : $"The vault '{name}' is not registered. Registered vaults: {string.Join(", ", vaults.Select(v => v.Name))}. Check the name (Get-SecretVault) or run Register-SecretVault.",
               name);

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
            $"No {kind.Describe()} named '{name}' was found {(vault is null ? "in any vault" : $"in vault '{vault}'")}. List what exists with {kind.GetCommand()}, or create it with {kind.NewCommand()}.",
            name);
}

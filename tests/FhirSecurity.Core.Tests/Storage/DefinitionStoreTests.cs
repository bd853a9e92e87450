using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Secrets;
using FhirSecurity.Core.Storage;
using FhirSecurity.Core.Tests.Fakes;
using Xunit;

namespace FhirSecurity.Core.Tests.Storage;

public sealed class DefinitionStoreTests
{
    private readonly InMemorySecretStore _vaults = new InMemorySecretStore().AddVault("Main", isDefault: true).AddVault("Other");

    private DefinitionStore Store(string? preference = null) => new(_vaults, preference, TimeProvider.System);

    private StoredDefinition<T> Create<T>(T definition, string? vault, bool force, string? preference = null)
        where T : Definition
    {
        DefinitionStore store = Store(preference);
        return store.Commit(store.PrepareCreate(definition, vault, force));
    }

    private StoredDefinition<T> Update<T>(DefinitionKind kind, string name, string? vault, Func<T, T> change)
        where T : Definition
    {
        DefinitionStore store = Store();
        return store.Commit(store.PrepareUpdate(kind, name, vault, change));
    }

    private void Remove(DefinitionKind kind, string name, string? vault)
    {
        DefinitionStore store = Store();
        store.CommitRemove(store.PrepareRemove(kind, name, vault));
    }

    [Fact]
    public void Create_writes_one_secret_to_the_default_vault()
    {
        var stored = Create(Samples.Basic(), vault: null, force: false);

        Assert.Equal("Main", stored.Vault);
        Assert.Equal(1, stored.Definition.Revision);
        Assert.Single(_vaults.Snapshot("Main"));
        Assert.Contains("FhirSecurity-BasicAuth-basic1", _vaults.Snapshot("Main").Keys);
        Assert.Empty(_vaults.Snapshot("Other"));
    }

    [Fact]
    public void Vault_choice_is_parameter_then_preference_then_default()
    {
        Assert.Equal("Other", Store().Vaults.ResolveWriteVault("Other"));
        Assert.Equal("Other", Store(preference: "other").Vaults.ResolveWriteVault(null));
        Assert.Equal("Main", Store(preference: "Other").Vaults.ResolveWriteVault("Main"));
        Assert.Equal("Main", Store().Vaults.ResolveWriteVault(null));
    }

    [Fact]
    public void Preference_naming_an_unregistered_vault_is_an_error_not_a_fallback()
    {
        var ex = Assert.Throws<FhirSecurityException>(() => Create(Samples.Basic(), null, false, preference: "Gone"));

        Assert.Equal(ErrorIds.SecretVaultNotFound, ex.ErrorId);
        Assert.Contains("FHIRSECURITY_VAULT", ex.Message);
        Assert.Empty(_vaults.Snapshot("Main"));
    }

    [Fact]
    public void No_vault_registered_and_no_default_vault_have_their_own_ids()
    {
        var none = new DefinitionStore(new InMemorySecretStore(), null, TimeProvider.System);
        Assert.Equal(ErrorIds.SecretVaultNotRegistered, Assert.Throws<FhirSecurityException>(() => none.Vaults.ResolveWriteVault(null)).ErrorId);

        var noDefault = new DefinitionStore(new InMemorySecretStore().AddVault("A"), null, TimeProvider.System);
        Assert.Equal(ErrorIds.SecretVaultNoDefault, Assert.Throws<FhirSecurityException>(() => noDefault.Vaults.ResolveWriteVault(null)).ErrorId);
    }

    [Fact]
    public void Creating_an_existing_name_fails_and_leaves_the_vault_as_it_was()
    {
        Create(Samples.Basic(), null, false);
        var before = _vaults.Snapshot("Main");

        var ex = Assert.Throws<FhirSecurityException>(() => Create(Samples.Basic() with { UserName = "other" }, null, false));

        Assert.Equal(ErrorIds.DefinitionAlreadyExists, ex.ErrorId);
        Assert.Equal(FailureCategory.ResourceExists, ex.Category);
        Assert.Equal(before, _vaults.Snapshot("Main"));
    }

    [Fact]
    public void Force_replaces_and_continues_the_revision()
    {
        Create(Samples.Basic(), null, false);

        var replaced = Create(Samples.Basic() with { UserName = "other" }, null, force: true);

        Assert.Equal(2, replaced.Definition.Revision);
        Assert.Equal("other", Store().Get<BasicAuthDefinition>(DefinitionKind.BasicAuth, "basic1", null).Definition.UserName);
    }

    [Fact]
    public void Update_changes_what_is_given_and_bumps_the_revision()
    {
        Create(Samples.Basic(), null, false);

        var updated = Update<BasicAuthDefinition>(DefinitionKind.BasicAuth, "basic1", null, d => d with { Password = new SecretValue("rotated") });

        Assert.Equal(2, updated.Definition.Revision);
        var read = Store().Get<BasicAuthDefinition>(DefinitionKind.BasicAuth, "basic1", null).Definition;
        Assert.Equal("rotated", read.Password.Reveal());
        Assert.Equal("svc-fhir", read.UserName);
    }

    [Fact]
    public void Update_that_breaks_a_rule_writes_nothing()
    {
        Create(Samples.Connection(), null, false);
        var before = _vaults.Snapshot("Main");

        Assert.Throws<FhirSecurityException>(() => Update<ConnectionDefinition>(DefinitionKind.Connection, "conn1", null, c => c with { TimeoutSec = 0 }));

        Assert.Equal(before, _vaults.Snapshot("Main"));
    }

    [Fact]
    public void Connection_must_reference_existing_definitions_in_its_vault()
    {
        Create(Samples.Basic("b1"), "Other", false);

        var ex = Assert.Throws<FhirSecurityException>(() => Create(Samples.Connection(basic: "b1"), "Main", false));

        Assert.Equal(ErrorIds.ReferencedDefinitionNotFound, ex.ErrorId);
        Assert.Empty(_vaults.Snapshot("Main"));
    }

    [Fact]
    public void Reference_to_a_definition_of_another_kind_says_which_kind_it_is()
    {
        Create(Samples.OAuth("shared"), null, false);

        var ex = Assert.Throws<FhirSecurityException>(() => Create(Samples.Connection(basic: "shared"), null, false));

        Assert.Equal(ErrorIds.ReferencedDefinitionWrongKind, ex.ErrorId);
        Assert.Contains("OAuth definition", ex.Message);
    }

    [Fact]
    public void Remove_refuses_a_definition_a_connection_uses_and_names_the_connection()
    {
        Create(Samples.OAuth("o1"), null, false);
        Create(Samples.Connection("prod", oauth: "o1"), null, false);
        var before = _vaults.Snapshot("Main");

        var ex = Assert.Throws<FhirSecurityException>(() => Remove(DefinitionKind.OAuth, "o1", null));

        Assert.Equal(ErrorIds.DefinitionInUse, ex.ErrorId);
        Assert.Contains("'prod'", ex.Message);
        Assert.Equal(before, _vaults.Snapshot("Main"));

        Remove(DefinitionKind.Connection, "prod", null);
        Remove(DefinitionKind.OAuth, "o1", null);
        Assert.Empty(_vaults.Snapshot("Main"));
    }

    [Fact]
    public void Remove_of_a_missing_definition_is_DefinitionNotFound()
        => Assert.Equal(ErrorIds.DefinitionNotFound, Assert.Throws<FhirSecurityException>(() => Remove(DefinitionKind.BasicAuth, "nope", null)).ErrorId);

    [Fact]
    public void Reads_without_a_vault_search_every_vault_default_first()
    {
        Create(Samples.Basic("same") with { UserName = "in-other" }, "Other", false);
        Assert.Equal("Other", Store().Get<BasicAuthDefinition>(DefinitionKind.BasicAuth, "same", null).Vault);

        Create(Samples.Basic("same") with { UserName = "in-main" }, "Main", false);
        Assert.Equal("in-main", Store().Get<BasicAuthDefinition>(DefinitionKind.BasicAuth, "same", null).Definition.UserName);
    }

    [Fact]
    public void List_matches_wildcards_and_reports_unreadable_documents_without_hiding_the_rest()
    {
        Create(Samples.Connection("prod-a"), null, false);
        Create(Samples.Connection("prod-b"), null, false);
        Create(Samples.Connection("test-a"), null, false);
        _vaults.WriteRaw("Main", "FhirSecurity-Connection-prod-c", "{broken");
        var errors = new List<FhirSecurityException>();

        var found = Store().List<ConnectionDefinition>(DefinitionKind.Connection, "prod*", null, errors.Add);

        Assert.Equal(["prod-a", "prod-b"], found.Select(f => f.Definition.Name));
        Assert.Equal(ErrorIds.DefinitionCorrupt, Assert.Single(errors).ErrorId);
    }

    [Fact]
    public void Locked_vault_error_passes_through_and_nothing_is_written()
    {
        _vaults.Lock("Main");

        var ex = Assert.Throws<FhirSecurityException>(() => Create(Samples.Basic(), null, false));

        Assert.Equal(ErrorIds.SecretVaultLocked, ex.ErrorId);
        Assert.Equal(0, _vaults.Writes);
    }
}

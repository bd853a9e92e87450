using FhirSecurity.Core.Definitions;

namespace FhirSecurity.Core.Storage;

/// <summary>A definition together with the vault it was read from or written to.</summary>
/// <typeparam name="T">The kind of definition.</typeparam>
/// <param name="Definition">The definition.</param>
/// <param name="Vault">The vault that holds it.</param>
public sealed record StoredDefinition<T>(T Definition, string Vault)
    where T : Definition;

using FhirSecurity.Core.Definitions;

namespace FhirSecurity.Core.Storage;

/// <summary>A removal that passed its checks and waits for the user's confirmation.</summary>
/// <param name="Kind">The kind of definition.</param>
/// <param name="Name">Its name.</param>
/// <param name="Vault">The vault it is removed from.</param>
public sealed record PendingRemoval(DefinitionKind Kind, string Name, string Vault);

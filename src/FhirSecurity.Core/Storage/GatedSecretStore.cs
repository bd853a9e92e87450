namespace FhirSecurity.Core.Storage;

/// <summary>
/// A secret store whose every call passes a <see cref="VaultCallGate"/>: the module's vault calls never overlap,
/// whichever runspace makes them, and a collision with someone else's call is retried there.
/// </summary>
/// <param name="inner">The store that makes the calls.</param>
/// <param name="gate">The process's gate.</param>
public sealed class GatedSecretStore(ISecretStore inner, VaultCallGate gate) : ISecretStore
{
    /// <inheritdoc />
    public IReadOnlyList<VaultInfo> GetVaults() => gate.Run(inner.GetVaults);

    /// <inheritdoc />
    public IReadOnlyList<SecretEntry> GetSecretInfo(string namePattern, string? vault)
        => gate.Run(() => inner.GetSecretInfo(namePattern, vault));

    /// <inheritdoc />
    public string? GetSecret(string name, string vault) => gate.Run(() => inner.GetSecret(name, vault));

    /// <inheritdoc />
    public void SetSecret(
        string name, string value, string vault, IReadOnlyDictionary<string, object> metadata, bool noClobber)
        => gate.Run(() => inner.SetSecret(name, value, vault, metadata, noClobber));

    /// <inheritdoc />
    public void RemoveSecret(string name, string vault) => gate.Run(() => inner.RemoveSecret(name, vault));
}

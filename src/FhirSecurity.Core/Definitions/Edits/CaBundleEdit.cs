using FhirSecurity.Core.Tls;

namespace FhirSecurity.Core.Definitions.Edits;

/// <summary>What Import-FhirCaBundle or Set-FhirCaBundle was given: a bundle, parsed and checked already.</summary>
/// <param name="Bundle">The certificates; a change replaces all of them.</param>
public sealed record CaBundleEdit(CaBundle Bundle) : IDefinitionEdit<CaBundleDefinition>
{
    /// <inheritdoc />
    public DefinitionKind Kind => DefinitionKind.CaBundle;

    /// <inheritdoc />
    public CaBundleDefinition Create(string name) => new() { Name = name, Pem = Bundle.Pem };

    /// <inheritdoc />
    public CaBundleDefinition ApplyTo(CaBundleDefinition current) => current with { Pem = Bundle.Pem };
}

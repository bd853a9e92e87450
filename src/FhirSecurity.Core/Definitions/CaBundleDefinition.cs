using FhirSecurity.Core.Tls;

namespace FhirSecurity.Core.Definitions;

/// <summary>A named CA bundle: the PEM of the CA certificates a connection trusts.</summary>
public sealed record CaBundleDefinition : Definition
{
    /// <summary>Clean PEM, certificates only (as <see cref="CaBundle.Pem"/> produces).</summary>
    public required string Pem { get; init; }

    /// <inheritdoc />
    public override DefinitionKind Kind => DefinitionKind.CaBundle;

    /// <summary>Reads the stored PEM (checked when it was imported).</summary>
    public CaBundle Load() => CaBundle.Load(Pem, $"the CA bundle '{Name}'");

    /// <inheritdoc />
    public override void Validate() => DefinitionName.Validate(Name, Kind);
}

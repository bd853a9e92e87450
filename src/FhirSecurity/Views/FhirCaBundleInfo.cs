using System.Collections.ObjectModel;

namespace FhirSecurity;

/// <summary>A CA bundle as Get-FhirCaBundle and Import-FhirCaBundle show it.</summary>
public sealed class FhirCaBundleInfo
{
    internal FhirCaBundleInfo(
        string name,
        IReadOnlyList<FhirCaCertificateInfo> certificates,
        string vault,
        int revision,
        DateTimeOffset updated)
    {
        Name = name;
        Certificates = new ReadOnlyCollection<FhirCaCertificateInfo>(certificates.ToArray());
        Vault = vault;
        Revision = revision;
        Updated = updated;
    }

    /// <summary>The bundle name.</summary>
    public string Name { get; }

    /// <summary>The certificates, in bundle order.</summary>
    public ReadOnlyCollection<FhirCaCertificateInfo> Certificates { get; }

    /// <summary>How many certificates the bundle holds.</summary>
    public int Count => Certificates.Count;

    /// <summary>When the first certificate of the bundle expires.</summary>
    public DateTimeOffset NotAfter => Certificates.Min(c => c.NotAfter);

    /// <summary>The vault that holds the bundle.</summary>
    public string Vault { get; }

    /// <summary>Starts at 1 and grows with every change.</summary>
    public int Revision { get; }

    /// <summary>When the bundle was last written.</summary>
    public DateTimeOffset Updated { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}

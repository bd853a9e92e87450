namespace FhirSecurity;

/// <summary>A Basic Auth definition as Get-FhirBasicAuth shows it. The password is never part of it.</summary>
public sealed class FhirBasicAuthInfo
{
    internal FhirBasicAuthInfo(string name, string userName, string vault, int revision, DateTimeOffset updated)
    {
        Name = name;
        UserName = userName;
        Vault = vault;
        Revision = revision;
        Updated = updated;
    }

    /// <summary>The definition name.</summary>
    public string Name { get; }

    /// <summary>The user name sent to the server.</summary>
    public string UserName { get; }

    /// <summary>Always the redaction mark: the password stays in the vault.</summary>
    public string Password => Redaction.Mark;

    /// <summary>The vault that holds the definition.</summary>
    public string Vault { get; }

    /// <summary>Starts at 1 and grows with every change.</summary>
    public int Revision { get; }

    /// <summary>When the definition was last written.</summary>
    public DateTimeOffset Updated { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}

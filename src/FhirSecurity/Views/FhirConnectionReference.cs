namespace FhirSecurity;

/// <summary>
/// What -Connection accepts: a connection name, or a connection object from Get-FhirConnection (which also
/// carries its vault). PowerShell converts either through the constructors.
/// </summary>
public sealed class FhirConnectionReference
{
    /// <summary>A connection by name, looked up in the chosen vault (or every vault).</summary>
    public FhirConnectionReference(string name)
    {
        Name = name;
    }

    /// <summary>A connection object; its vault is used.</summary>
    public FhirConnectionReference(FhirConnectionInfo connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Name = connection.Name;
        Vault = connection.Vault;
    }

    /// <summary>The connection name.</summary>
    public string Name { get; }

    /// <summary>The vault the connection object came from, if any.</summary>
    public string? Vault { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}

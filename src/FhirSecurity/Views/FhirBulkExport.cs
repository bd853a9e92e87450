namespace FhirSecurity;

/// <summary>
/// An export kicked off with -NoWait: pipe it to Export-FhirBulkData -Destination to finish it, or to
/// Stop-FhirBulkExport to cancel it.
/// </summary>
public sealed class FhirBulkExport
{
    internal FhirBulkExport(Uri statusUrl, string connection, string vault, DateTimeOffset kickedOff)
    {
        StatusUrl = statusUrl;
        Connection = connection;
        Vault = vault;
        KickedOff = kickedOff;
    }

    /// <summary>Where the export's status is polled (-StatusUrl).</summary>
    public Uri StatusUrl { get; }

    /// <summary>The connection it was kicked off through.</summary>
    public string Connection { get; }

    /// <summary>The vault the connection was read from.</summary>
    public string Vault { get; }

    /// <summary>When it was kicked off.</summary>
    public DateTimeOffset KickedOff { get; }

    /// <inheritdoc />
    public override string ToString() => StatusUrl.ToString();
}

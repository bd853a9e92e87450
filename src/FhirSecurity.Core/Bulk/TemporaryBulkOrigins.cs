using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Fhir;

namespace FhirSecurity.Core.Bulk;

/// <summary>Stands in for ConnectionDefinition.MaySendCredentialsTo until the bulkorigin branch lands.</summary>
internal static class TemporaryBulkOrigins
{
    public static bool MaySendCredentialsTo(this ConnectionDefinition connection, Uri uri, bool bulkData)
        => FhirUris.SameOrigin(uri, connection.BaseUri);
}

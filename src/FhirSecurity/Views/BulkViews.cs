using FhirSecurity.Core.Bulk;

namespace FhirSecurity;

/// <summary>Turns Bulk Data engine results into the objects users see.</summary>
internal static class BulkViews
{
    public static FhirBulkFile Of(BulkFileResult file)
        => new(
            kind: Views.ByName<FhirBulkFileKind>(file.File.Kind),
            type: file.File.Type,
            path: file.Path,
            count: file.Lines,
            bytes: file.Bytes,
            url: file.File.DisplayUrl);

    public static BulkExportLevel ToEngine(FhirBulkExportLevel level) => Views.ByName<BulkExportLevel>(level);
}

using System.Management.Automation;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Bulk;
using FhirSecurity.Core.Fhir;
using FhirSecurity.Core.Http;

namespace FhirSecurity.Commands;

/// <summary>Cancels a Bulk Data export on the server (DELETE on its status URL), so it can drop its files.</summary>
[Cmdlet(VerbsLifecycle.Stop, "FhirBulkExport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class StopFhirBulkExportCommand : FhirCommand
{
    /// <summary>The connection the export was kicked off through.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public FhirConnectionReference Connection { get; set; } = null!;

    /// <summary>The export's status URL (from Export-FhirBulkData -NoWait).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    public Uri StatusUrl { get; set; } = null!;

    /// <inheritdoc />
    protected override void ProcessRecord()
        => Run(() =>
        {
            Uri statusUrl = BulkStatusUrls.Checked(StatusUrl);
            ResolvedConnection connection = ResolveConnection(Connection, forceReload: false);
            if (!ShouldProcess(statusUrl.ToString(), $"Cancel the Bulk Data export (connection '{Connection.Name}')"))
            {
                return;
            }

            var client = new BulkExportClient(
                connection, HandlerPool.Shared, TokenCache.Shared, TimeProvider.System, RetryPolicy.Default);
            Wait(async verbose =>
            {
                await client.CancelAsync(statusUrl, StopToken, verbose).ConfigureAwait(false);
                return true;
            });
        });
}

using System.Collections;
using System.Management.Automation;
using FhirSecurity.Core.Auth;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Fhir;
using FhirSecurity.Core.Http;
using FhirSecurity.Json;
using FhirSecurity.Session;

namespace FhirSecurity.Commands;

/// <summary>
/// Calls a FHIR server through a connection: TLS validation, Basic or OAuth credentials (tokens cached and
/// refreshed by the module), FHIR JSON in and out, OperationOutcome errors, and Bundle paging with -All.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "FhirRequest", DefaultParameterSetName = PathSet)]
[OutputType(typeof(PSObject), typeof(string))]
public sealed class InvokeFhirRequestCommand : FhirCommand
{
    private const string PathSet = "Path";
    private const string ResourceSet = "Resource";

    /// <summary>The connection: a name, or an object from Get-FhirConnection.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(ConnectionNameCompleter))]
    public FhirConnectionReference Connection { get; set; } = null!;

    /// <summary>The HTTP method. Default: GET.</summary>
    [Parameter]
    public FhirMethod Method { get; set; } = FhirMethod.GET;

    /// <summary>A path below the base URL (Patient/123, Patient?name=x, metadata) or an absolute URL.</summary>
    [Parameter(Position = 1, ParameterSetName = PathSet)]
    public string? Path { get; set; }

    /// <summary>The resource type, e.g. Patient (with -Id: one resource).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ResourceSet)]
    [ValidatePattern("^[A-Z][A-Za-z]+$")]
    public string ResourceType { get; set; } = string.Empty;

    /// <summary>The resource id.</summary>
    [Parameter(ParameterSetName = ResourceSet)]
    [ValidatePattern("^[A-Za-z0-9\\-\\.]{1,64}$")]
    public string? Id { get; set; }

    /// <summary>Search or operation parameters; a list value repeats the parameter.</summary>
    [Parameter]
    public Hashtable? Query { get; set; }

    /// <summary>The body: a resource object (as this cmdlet returns), a hashtable, or JSON text.</summary>
    [Parameter(ValueFromPipeline = true)]
    public object? Body { get; set; }

    /// <summary>Extra request headers (not Authorization: the connection sets it).</summary>
    [Parameter]
    public IDictionary? Headers { get; set; }

    /// <summary>The timeout of this request in seconds (default: the connection's).</summary>
    [Parameter]
    [ValidateRange(1, ConnectionDefinition.MaxTimeoutSec)]
    public int? TimeoutSec { get; set; }

    /// <summary>
    /// How many times a request that met a passing failure (408, 429, 502, 503, 504, a dropped connection) is sent
    /// again: 0 to 10, default 3. All attempts share -TimeoutSec.
    /// </summary>
    [Parameter]
    [ValidateRange(0, RetryPolicy.MaxRetryCount)]
    public int MaximumRetryCount { get; set; } = RetryPolicy.Default.MaximumRetryCount;

    /// <summary>
    /// The first wait between attempts in seconds (default 1), doubled per retry, with jitter; a server's Retry-After
    /// wins.
    /// </summary>
    [Parameter]
    [ValidateRange(1, RetryPolicy.MaxIntervalSec)]
    public int RetryIntervalSec { get; set; } = (int)RetryPolicy.Default.Interval.TotalSeconds;

    /// <summary>
    /// Also retry POST and PATCH. A create the server did but whose answer was lost is then done twice.
    /// </summary>
    [Parameter]
    public SwitchParameter RetryNonIdempotent { get; set; }

    /// <summary>Follow the Bundle's next links and write every entry's resource, page after page.</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    /// <summary>Write the response body as text, unparsed.</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
        => Run(() =>
        {
            ResolvedConnection connection = Resolve(forceReload: false);
            PreparedBody? body = PrepareBody();
            var request = new FhirRequest(
                new HttpMethod(Method.ToString()),
                FhirUris.Resolve(connection.Connection.BaseUri, TargetPath(body), QueryPairs()),
                body?.Json,
                RequestHeaders(connection),
                TimeSpan.FromSeconds(TimeoutSec ?? connection.Connection.TimeoutSec))
            {
                Retry = new RetryPolicy(MaximumRetryCount, TimeSpan.FromSeconds(RetryIntervalSec), RetryNonIdempotent),
            };

            FhirResponse response = Send(connection, request);
            // A 401 from another origin (after a redirect) is not about this connection's credentials: none went there.
            if (response.StatusCode == 401
                && connection.Connection.HasAuthentication
                && FhirUris.SameOrigin(response.Uri, connection.Connection.BaseUri))
            {
                // The definition may have changed in the vault (a rotated secret); the refused token is already
                // dropped.
                WriteVerbose("401 Unauthorized: reading the connection's definitions again and retrying once.");
                connection = Resolve(forceReload: true);
                response = Send(connection, request);
            }

            if (!response.IsSuccess)
            {
                WriteError(ErrorRecords.From(FhirPayload.Failure(response, request.Method.Method)));
                return;
            }

            WriteResults(connection, request, response);
        });

    private ResolvedConnection Resolve(bool forceReload) => ResolveConnection(Connection, forceReload);

    private PreparedBody? PrepareBody()
    {
        // A connection object piped in (Get-FhirConnection x | Invoke-FhirRequest) binds -Connection, not a body.
        if (Body is null || (Body is PSObject { BaseObject: FhirConnectionInfo }) || Body is FhirConnectionInfo)
        {
            return null;
        }

        PreparedBody body = FhirPayload.PrepareBody(PSObjectToJson.Convert(Body));
        foreach (string warning in body.Warnings)
        {
            WriteWarning("Body: " + warning);
        }

        return body;
    }

    private string TargetPath(PreparedBody? body)
    {
        if (ParameterSetName == ResourceSet)
        {
            return Id is null ? ResourceType : $"{ResourceType}/{Id}";
        }

        if (Path is not null)
        {
            return Path;
        }

        // A piped resource says where it goes: PUT/PATCH/DELETE to its own URL, POST to its type.
        if (body?.ResourceType is { } type)
        {
            return Method != FhirMethod.POST && body.Id is { } id ? $"{type}/{id}" : type;
        }

        throw new FhirSecurityException(
            ErrorIds.FhirPathInvalid,
            FailureCategory.InvalidArgument,
            "Say what to call: -Path (e.g. Patient/123 or 'Patient?name=smith'), or -ResourceType with -Id, or pipe a "
            + "resource with a resourceType.");
    }

    private IEnumerable<KeyValuePair<string, IReadOnlyList<string>>>? QueryPairs()
        => Query?.Cast<DictionaryEntry>().Select(entry => new KeyValuePair<string, IReadOnlyList<string>>(
            entry.Key.ToString()!,
            LanguagePrimitives.GetEnumerable(entry.Value) is { } many && entry.Value is not string
                ? many.Cast<object?>()
                    .Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty)
                    .ToArray()
                : [Convert.ToString(entry.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty]));

    private Dictionary<string, string> RequestHeaders(ResolvedConnection connection)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in Headers ?? new Hashtable())
        {
            string name = entry.Key.ToString()!;
            if (string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase))
            {
                throw new FhirSecurityException(
                    ErrorIds.FhirHeaderReserved,
                    FailureCategory.InvalidArgument,
                    $"-Headers may not set Authorization: connection '{connection.Connection.Name}' decides the "
                    + "credentials (Set-FhirConnection -BasicAuth/-OAuth).");
            }

            headers[name] = entry.Value?.ToString() ?? string.Empty;
        }

        return headers;
    }

    private FhirResponse Send(ResolvedConnection connection, FhirRequest request)
    {
        var client = new FhirClient(connection, HandlerPool.Shared, TokenCache.Shared, TimeProvider.System);
        FhirResponse response = VerboseEnabled
            ? Wait(verbose => client.SendAsync(request, StopToken, verbose))
            : Wait(client.SendAsync(request, StopToken, null));
        if (response.Token is { } used && ScopeWarnings.Claim(used))
        {
            WriteWarning(
                $"OAuth definition '{connection.OAuth?.Name}': the token endpoint granted fewer scopes than requested."
                + $" Not granted: {string.Join(' ', used.MissingScopes)} (granted: {used.GrantedScope}). Requests that"
                + " need them will be refused; ask the server's maintainers to allow them, or stop asking for them"
                + " (Set-FhirOAuth -Scope).");
        }

        if (!VerboseEnabled)
        {
            return response;
        }

        string token = response.TokenSource switch
        {
            TokenSource.None => string.Empty,
            TokenSource.Cache => ", token from cache",
            TokenSource.New => ", new token",
            _ => ", token from cache (refreshing it failed; it is still valid)",
        };
        string attempts = response.Attempts > 1 ? $", {response.Attempts} attempts" : string.Empty;
        string url = response.Uri == request.Uri
            ? request.Uri.ToString()
            : $"{request.Uri} (redirected to {UrlRedaction.Display(response.Uri)})";
        WriteVerbose(
            $"{request.Method} {url} -> {response.StatusCode} {response.ReasonPhrase} in "
            + $"{response.Elapsed.TotalMilliseconds:0} ms{attempts}{token}.");
        return response;
    }

    private void WriteResults(ResolvedConnection connection, FhirRequest request, FhirResponse response)
    {
        if (Raw && !All)
        {
            WriteObject(response.Body);
            return;
        }

        FhirResult result = FhirPayload.Read(response);
        if (!All || result.ResourceType != "Bundle")
        {
            if (Raw)
            {
                WriteObject(response.Body);
            }
            else if (result.ResourceJson is not null)
            {
                WriteObject(JsonToPSObject.ConvertResource(result.ResourceJson));
            }

            return;
        }

        var progress = new ProgressRecord(1, $"Reading {request.Uri.GetLeftPart(UriPartial.Path)}", "first page");
        int written = 0;
        int page = 1;
        while (true)
        {
            foreach (string entry in result.EntryJson)
            {
                WriteObject(Raw ? entry : JsonToPSObject.ConvertResource(entry));
                written++;
            }

            if (result.NextLink is not { } next)
            {
                break;
            }

            page++;
            string of = result.Total is { } total ? $" of {total}" : string.Empty;
            progress.StatusDescription = $"{written} resource(s){of}, page {page}";
            if (result.Total is { } known && known > 0)
            {
                progress.PercentComplete = Math.Min(100, written * 100 / known);
            }

            WriteProgress(progress);
            FhirRequest nextRequest = request with { Method = HttpMethod.Get, Uri = next, Body = null };
            FhirResponse nextResponse = Send(connection, nextRequest);
            if (!nextResponse.IsSuccess)
            {
                WriteError(ErrorRecords.From(FhirPayload.Failure(nextResponse, "GET")));
                break;
            }

            result = FhirPayload.Read(nextResponse);
        }

        progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(progress);
    }
}

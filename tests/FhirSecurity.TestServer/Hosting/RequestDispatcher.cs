using Microsoft.AspNetCore.Http;

namespace FhirSecurity.TestServer;

/// <summary>
/// The one middleware: counts, injects faults, routes to the token endpoint or a FHIR base, and enforces that
/// base's authentication. Hand-written rather than endpoint routing so faults and auth apply in a fixed, visible order.
/// </summary>
internal sealed class RequestDispatcher(ServerState state)
{
    private const string SmartConfigurationPath = ".well-known/smart-configuration";
    private const string Realm = "FhirSecurity test server";
    private readonly TokenEndpointHandler _tokenEndpoint = new(state);
    private readonly FhirApi _fhir = new(state);
    private readonly BulkFileApi _bulkFiles = new(state);

    /// <summary>The managed identity endpoint on the plain-HTTP listener.</summary>
    public ManagedIdentityEndpoint ManagedIdentity { get; } = new(state);

    public async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith(FloorEndpoint.Path, StringComparison.Ordinal))
        {
            await FloorEndpoint.HandleAsync(context);
            return;
        }
        if (context.Connection.LocalPort == state.ManagedIdentityPort)
        {
            await ManagedIdentity.HandleAsync(context);
            return;
        }
        if (path == CountersEndpoint.Path)
        {
            await CountersEndpoint.HandleAsync(context, state.Counters);
            return;
        }

        if (path == BulkControlEndpoint.Path)
        {
            await BulkControlEndpoint.HandleAsync(context, state.Bulk);
            return;
        }

        if (path == FederatedAssertionEndpoint.Path)
        {
            await FederatedAssertionEndpoint.HandleAsync(context, state);
            return;
        }

        bool isBulkFile = path.StartsWith(BulkExportApi.FilesPath, StringComparison.Ordinal);
        if (context.Connection.LocalPort != state.MainPort && !isBulkFile)
        {
            await JsonResponses.WriteOutcomeAsync(context, StatusCodes.Status404NotFound, "not-found", "This origin serves export files only.");
            return;
        }

        state.Counters.CountRequest(context.Request.Method, path);
        if (context.Request.Headers.Authorization.Count > 0)
        {
            state.Counters.CountAuthorization();
        }
        var isTokenEndpoint = path == TokenEndpointHandler.Path;
        if (isTokenEndpoint)
        {
            state.Counters.CountTokenRequest();
        }

        if (state.DateHeaderOffset is var offset && offset != TimeSpan.Zero)
        {
            // Set as the headers go out, over the Date Kestrel puts there.
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.Date = (DateTimeOffset.UtcNow + offset).ToString("r", System.Globalization.CultureInfo.InvariantCulture);
                return Task.CompletedTask;
            });
        }

        if (context.Connection.ClientCertificate is { } clientCertificate)
        {
            state.LastClientCertificateSubject = clientCertificate.Subject;
        }

        // A TLS front refuses before anything behind it sees the request.
        if (state.Options.NginxClientCertificateCheck && await NginxClientCertificateCheck.RefusedAsync(context))
        {
            return;
        }

        // Faults come first: they stand for a gateway or an overloaded server, which answer before any auth.
        if (state.Faults.TryTake(path) is { } fault)
        {
            if (fault.Delay > TimeSpan.Zero)
            {
                await Task.Delay(fault.Delay, context.RequestAborted);
            }

            if (fault.Kind != FaultKind.Delay)
            {
                await FaultResponder.WriteAsync(context, fault, isTokenEndpoint);
                return;
            }
        }

        var origin = $"{context.Request.Scheme}://{context.Request.Host}";
        if (isTokenEndpoint)
        {
            await _tokenEndpoint.HandleAsync(context);
            return;
        }

        if (isBulkFile)
        {
            await _bulkFiles.HandleAsync(context, path[BulkExportApi.FilesPath.Length..]);
            return;
        }

        var fhirBase = FhirBase.All.FirstOrDefault(b => path.StartsWith(b.Path, StringComparison.Ordinal));
        if (fhirBase is null)
        {
            await JsonResponses.WriteOutcomeAsync(context, StatusCodes.Status404NotFound, "not-found", "No FHIR base here. Use /open/fhir/, /basic/fhir/ or /oauth/fhir/.");
            return;
        }

        // A remote server's round trip and work, for benchmarks; the token endpoint and faults are not slowed.
        if (state.FhirLatency is var latency && latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, context.RequestAborted);
        }

        var relative = path[fhirBase.Path.Length..];
        var authorization = context.Request.Headers.Authorization.ToString();
        state.LastAuthorizationScheme = HttpAuthorization.SchemeOf(authorization);
        // Discovery documents are public, but credentials that are sent anyway must be right.
        var anonymousAllowed = fhirBase.Kind == FhirBaseKind.Open
            || (authorization.Length == 0 && (relative == "metadata" || relative == SmartConfigurationPath));
        if (!anonymousAllowed && !await AuthenticateAsync(context, fhirBase.Kind, authorization))
        {
            return;
        }

        var tokenEndpoint = origin + TokenEndpointHandler.Path;
        if (fhirBase.Kind == FhirBaseKind.OAuth && relative == SmartConfigurationPath && HttpMethods.IsGet(context.Request.Method))
        {
            if (state.SmartConfigurationOverride is { } custom)
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = JsonResponses.PlainJson;
                await context.Response.WriteAsync(custom, context.RequestAborted);
                return;
            }

            var scopes = state.Options.OAuthClients.SelectMany(c => c.AllowedScopes);
            await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, CapabilityStatementBuilder.SmartConfiguration(tokenEndpoint, scopes), JsonResponses.PlainJson);
            return;
        }

        await _fhir.HandleAsync(context, fhirBase, origin, tokenEndpoint, relative);
    }

    /// <summary>Checks credentials for a protected base; on failure writes the 401 and returns false.</summary>
    private async Task<bool> AuthenticateAsync(HttpContext context, FhirBaseKind kind, string authorization)
    {
        if (kind == FhirBaseKind.Basic)
        {
            if (BasicCredentials.TryParse(authorization, out var user, out var password)
                && state.Options.BasicUsers.Any(u => u.UserName == user && SecretComparer.AreEqual(password, u.Password)))
            {
                return true;
            }

            context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{Realm}\", charset=\"UTF-8\"";
            await JsonResponses.WriteOutcomeAsync(context, StatusCodes.Status401Unauthorized, "login", "Basic authentication is required and the credentials sent (if any) are not valid.");
            return false;
        }

        if (!HttpAuthorization.TryGetCredentials(authorization, "Bearer", out var token))
        {
            // RFC 6750 3.1: no error code when the request carried no token at all.
            context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{Realm}\"";
            await JsonResponses.WriteOutcomeAsync(context, StatusCodes.Status401Unauthorized, "login", "A Bearer access token is required.");
            return false;
        }

        var check = state.Tokens.Check(token);
        if (check == TokenCheck.Valid)
        {
            return true;
        }

        var description = check == TokenCheck.Expired ? "The access token expired" : "The access token is unknown or revoked";
        context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"{Realm}\", error=\"invalid_token\", error_description=\"{description}\"";
        await JsonResponses.WriteOutcomeAsync(context, StatusCodes.Status401Unauthorized, check == TokenCheck.Expired ? "expired" : "login", description + ".");
        return false;
    }
}

using System.Net.Http.Headers;
using System.Text.Json;
using FhirSecurity.Core.Definitions;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Http;

namespace FhirSecurity.Core.Auth;

/// <summary>
/// SMART discovery: <c>GET [base]/.well-known/smart-configuration</c> over HTTPS with a given TLS policy, then the
/// token endpoint and what it advertises. Every failure has its own error id; nothing is sent but the GET.
/// </summary>
public static class SmartDiscovery
{
    /// <summary>The path of the discovery document below a FHIR base URL.</summary>
    public const string WellKnownPath = ".well-known/smart-configuration";

    /// <summary>The discovery document's URL for <paramref name="fhirBase"/> (which must be absolute https).</summary>
    public static Uri ConfigurationUri(Uri fhirBase)
    {
        if (!fhirBase.IsAbsoluteUri
            || fhirBase.Scheme != Uri.UriSchemeHttps
            || !string.IsNullOrEmpty(fhirBase.Query)
            || !string.IsNullOrEmpty(fhirBase.Fragment))
        {
            throw new FhirSecurityException(
                ErrorIds.OAuthDiscoveryBaseUriInvalid,
                FailureCategory.InvalidArgument,
                $"The FHIR base URL '{fhirBase}' must be an absolute https:// URL without query or fragment: the token"
                + " endpoint it names receives the client's credentials.",
                fhirBase);
        }

        string text = fhirBase.GetLeftPart(UriPartial.Path);
        return new Uri((text.EndsWith('/') ? text : text + "/") + WellKnownPath);
    }

    /// <summary>
    /// Reads the discovery document of <paramref name="fhirBase"/> within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<SmartConfiguration> DiscoverAsync(
        Uri fhirBase, HttpClient http, TransportPolicy tls, TimeSpan timeout, CancellationToken cancellation)
    {
        Uri uri = ConfigurationUri(fhirBase);

        // Sent once: discovery runs when a definition is made, with the user there to see the answer.
        var plan = new RequestPlan(
            HttpMethod.Get,
            RetryPolicy.None,
            timeout,
            TimeProvider.System,
            () => $"The SMART discovery endpoint {uri}",
            () => Endpoint.SmartDiscovery.Timeout(uri, timeout));
        Attempts<HttpAnswer> sent = await RequestPipeline.RunAsync(plan, SendAsync, cancellation).ConfigureAwait(false);
        return Parse(sent.Result.Body, uri);

        async Task<Attempt<HttpAnswer>> SendAsync(CancellationToken deadline)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            Exchanged exchanged = await HttpExchange.SendAsync(
                http, tls, request, Endpoint.SmartDiscovery, TimeProvider.System, deadline).ConfigureAwait(false);
            HttpAnswer answer = exchanged.Answer ?? throw exchanged.Failure!;
            return answer.IsSuccess ? new(answer) : throw Failed(answer, uri, tls);
        }
    }

    private static FhirSecurityException Failed(HttpAnswer answer, Uri uri, TransportPolicy tls)
    {
        int status = answer.Status;
        bool json = JsonText.IsJson(answer.Body);
        string? excerpt = json ? null : ServerExcerpt.From(answer.Body, answer.ContentType);
        string said = $"HTTP {status} {answer.ReasonPhrase}{ServerExcerpt.Said(excerpt)}";
        if (ClientCertificateAnswers.IsRefusal(ClientCertificateAnswers.Missing(tls, uri), json, status, excerpt))
        {
            return ClientCertificateAnswers.Error(
                $"{uri} refused the request with {said}", "The SMART discovery endpoint", uri, status);
        }

        string redirect = status is >= 300 and < 400
            ? $" (a redirect to {answer.Location}; give the FHIR base URL it points to)"
            : string.Empty;
        return new FhirSecurityException(
            ErrorIds.OAuthDiscoveryFailed,
            status is 404 or 410 ? FailureCategory.ObjectNotFound : FailureCategory.ResourceUnavailable,
            $"{uri} answered {said}{redirect}. The server may not offer SMART discovery: give the token URL with"
            + " -TokenUrl instead.",
            uri) { StatusCode = status };
    }

    /// <summary>Reads a discovery document fetched from <paramref name="source"/>.</summary>
    public static SmartConfiguration Parse(string body, Uri source)
    {
        JsonElement root;
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw Invalid(
                ErrorIds.OAuthDiscoveryResponseInvalid,
                FailureCategory.InvalidData,
                $"{source} did not answer with JSON. Check that the FHIR base URL is right, or give the token URL with"
                + " -TokenUrl.",
                source);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(
                ErrorIds.OAuthDiscoveryResponseInvalid,
                FailureCategory.InvalidData,
                $"{source} answered with JSON that is not an object. Check that the FHIR base URL is right, or give the"
                + " token URL with -TokenUrl.",
                source);
        }

        if (!root.TryGetProperty("token_endpoint", out JsonElement endpoint)
            || endpoint.ValueKind != JsonValueKind.String
            || !Uri.TryCreate(endpoint.GetString(), UriKind.Absolute, out Uri? tokenEndpoint))
        {
            throw Invalid(
                ErrorIds.OAuthDiscoveryTokenEndpointMissing,
                FailureCategory.InvalidData,
                $"{source} names no token_endpoint (or not as an absolute URL). Give the token URL with -TokenUrl.",
                source);
        }

        if (tokenEndpoint.Scheme != Uri.UriSchemeHttps)
        {
            throw Invalid(
                ErrorIds.OAuthDiscoveryTokenEndpointInsecure,
                FailureCategory.SecurityError,
                $"{source} names the token endpoint {tokenEndpoint}, which is not https://: the client's credentials"
                + " would go over it unencrypted. Nothing was saved.",
                source);
        }

        return new SmartConfiguration(
            source,
            tokenEndpoint,
            Strings(root, "token_endpoint_auth_methods_supported"),
            Strings(root, "token_endpoint_auth_signing_alg_values_supported"));
    }

    private static IReadOnlyList<string>? Strings(JsonElement root, string name)
        => root.TryGetProperty(name, out JsonElement list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.String)
                .Select(e => e.GetString()!)
                .ToArray()
            : null;

    private static FhirSecurityException Invalid(string id, FailureCategory category, string message, Uri source)
        => new(id, category, message, source);
}

using System.Text.Json;
using FhirSecurity.Core.Errors;
using FhirSecurity.Core.Http;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;

namespace FhirSecurity.Core.Fhir;

/// <summary>
/// FHIR parsing and serialising. Answers are read with one checked JSON pass (<see cref="FhirAnswerReader"/>: the
/// server's JSON goes on as it came, so an element this R4 model does not know still comes through); request bodies
/// are checked strictly by the Firely SDK, problems reported as warnings, and only text that is no resource at all is
/// refused.
/// </summary>
public static class FhirPayload
{
    private static readonly FhirJsonSerializer Serializer = new();

    /// <summary>Reads a successful answer (<see cref="FhirAnswerReader"/>).</summary>
    public static FhirResult Read(FhirResponse response) => FhirAnswerReader.Read(response);

    /// <summary>
    /// Checks a request body. Returns the body Firely wrote back (same content, canonical form), its resource type
    /// and id, and the problems found; throws <c>FhirBodyInvalid</c> for text that is not a FHIR resource.
    /// </summary>
    public static PreparedBody PrepareBody(string json)
    {
        if (!JsonText.IsJson(json))
        {
            throw BodyInvalid("it is not JSON");
        }

        bool clean = TryDeserialize(
            FhirJsonDeserializer.DEFAULT,
            json,
            out Resource? resource,
            out IEnumerable<CodedException> issues);
        if (resource is null)
        {
            // A JSON Patch document (PATCH) is a JSON array, not a resource: send it as it is.
            if (json.TrimStart().StartsWith('['))
            {
                return new PreparedBody(json, null, null, []);
            }

            throw BodyInvalid(issues.Any()
                ? "it is not a FHIR resource (" + string.Join("; ", issues.Select(i => i.Message).Take(3)) + ")"
                : "it has no resourceType that FHIR R4 knows");
        }

        string[] warnings = clean ? [] : issues.Select(i => i.Message).ToArray();
        return new PreparedBody(Serializer.SerializeToString(resource), resource.TypeName, resource.Id, warnings);
    }

    /// <summary>
    /// The error for a non-2xx answer: the status, and the OperationOutcome's issues when the server sent one, or
    /// else a short redacted excerpt of its page (<see cref="ServerExcerpt"/>). An error page from a server whose
    /// handshake asked for a client certificate the connection lacks is <c>TlsClientCertificateRequired</c>
    /// (<see cref="ClientCertificateAnswers"/>).
    /// </summary>
    public static FhirSecurityException Failure(FhirResponse response, string method)
    {
        var issues = new List<string>();
        OperationOutcome? outcome = null;
        if (!string.IsNullOrWhiteSpace(response.Body)
            && TryDeserialize(FhirJsonDeserializer.RECOVERABLE, response.Body, out Resource? resource, out _))
        {
            outcome = resource as OperationOutcome;
            issues.AddRange(outcome?.Issue.Select(Describe) ?? []);
        }

        // The token the request carried is named, so a server that echoes it cannot put it in the message.
        string? excerpt = outcome is null
            ? ServerExcerpt.From(response.Body, response.ContentType, [response.Token?.Value.Reveal()])
            : null;
        string status = $"HTTP {response.StatusCode} {response.ReasonPhrase}";
        bool json = outcome is not null || JsonText.IsJson(response.Body);
        if (ClientCertificateAnswers.IsRefusal(response.ClientCertificateMissing, json, response.StatusCode, excerpt))
        {
            return ClientCertificateAnswers.Error(
                $"{method} {response.Uri} was refused with {status}{ServerExcerpt.Said(excerpt)}",
                "The FHIR server",
                response.Uri,
                response.StatusCode);
        }

        string detail = issues.Count > 0 ? ": " + string.Join(" | ", issues).TrimEnd('.') : ServerExcerpt.Said(excerpt);
        string advice = response.StatusCode switch
        {
            401 => " The server did not accept the credentials: check the connection's Basic Auth or OAuth definition.",
            403 => " The credentials are valid but not allowed this: check the OAuth scopes or the account's rights.",
            404 => " Check the path and id.",
            _ => string.Empty,
        };
        return new FhirSecurityException(
            ErrorIds.FhirRequestFailed,
            CategoryOf(response.StatusCode),
            $"{method} {response.Uri} failed with {status}{detail}.{advice}",
            response.Uri) { StatusCode = response.StatusCode, Issues = issues };
    }

    private static string Describe(OperationOutcome.IssueComponent issue)
    {
        string text = issue.Diagnostics
            ?? issue.Details?.Text
            ?? issue.Details?.Coding.FirstOrDefault()?.Display
            ?? string.Empty;
        string where = issue.Expression.Any() ? " at " + string.Join(", ", issue.Expression) : string.Empty;
        return ($"{issue.Severity?.ToString().ToLowerInvariant() ?? "issue"}"
            + $" {issue.Code?.GetLiteral() ?? string.Empty}: {text}{where}").Trim();
    }

    private static FailureCategory CategoryOf(int status) => status switch
    {
        400 => FailureCategory.InvalidArgument,
        401 => FailureCategory.AuthenticationError,
        403 => FailureCategory.SecurityError,
        404 or 410 => FailureCategory.ObjectNotFound,
        408 => FailureCategory.OperationTimeout,
        409 or 412 => FailureCategory.InvalidOperation,
        422 => FailureCategory.InvalidData,
        429 or >= 500 => FailureCategory.ResourceUnavailable,
        _ => FailureCategory.ProtocolError,
    };

    /// <summary>
    /// Firely's TryDeserializeResource, made safe for any text: it throws on text that is not a JSON object (an HTML
    /// error page from a gateway, a bare number), and turns any JSON object, resourceType or not, into a
    /// DynamicResource. Neither is a FHIR resource, so both give null here.
    /// </summary>
    private static bool TryDeserialize(
        FhirJsonDeserializer deserializer,
        string json,
        out Resource? resource,
        out IEnumerable<CodedException> issues)
    {
        resource = null;
        issues = [];
        if (ResourceTypeOf(json) is not { } type || !ModelInfo.IsKnownResource(type))
        {
            return false;
        }

        try
        {
            return deserializer.TryDeserializeResource(json, out resource, out issues);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? ResourceTypeOf(string text)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("resourceType", out JsonElement type)
                   && type.ValueKind == JsonValueKind.String
                ? type.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static FhirSecurityException BodyInvalid(string why)
        => new(
            ErrorIds.FhirBodyInvalid,
            FailureCategory.InvalidArgument,
            $"The request body was refused before sending: {why}. Pass a resource object, a hashtable or JSON text"
            + " with a resourceType.");
}

/// <summary>A checked request body.</summary>
/// <param name="Json">The JSON to send.</param>
/// <param name="ResourceType">Its resourceType (null for a JSON Patch).</param>
/// <param name="Id">Its id, if it has one.</param>
/// <param name="Warnings">What strict FHIR parsing found wrong; the server decides.</param>
public sealed record PreparedBody(string Json, string? ResourceType, string? Id, IReadOnlyList<string> Warnings);

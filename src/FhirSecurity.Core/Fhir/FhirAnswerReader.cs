using System.Text.Json;
using FhirSecurity.Core.Errors;
using Hl7.Fhir.Model;

namespace FhirSecurity.Core.Fhir;

/// <summary>
/// Reads a successful answer with one pass of System.Text.Json instead of a Firely parse: the body must be JSON (else
/// <c>FhirResponseInvalid</c>); a JSON object whose <c>resourceType</c> is one FHIR R4 knows is that resource, and a
/// Bundle's <c>next</c> link, <c>total</c> and entry resources are taken from the same document. Any other JSON goes
/// on as it came, untyped. What goes to the cmdlet is the server's own JSON, so nothing a lenient model would keep is
/// lost; Firely still checks every request body (<see cref="FhirPayload.PrepareBody"/>).
/// </summary>
internal static class FhirAnswerReader
{
    public static FhirResult Read(FhirResponse response)
    {
        if (string.IsNullOrWhiteSpace(response.Body))
        {
            return new FhirResult(null, null, [], null, null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(response.Body);
        }
        catch (JsonException)
        {
            throw new FhirSecurityException(
                ErrorIds.FhirResponseInvalid,
                FailureCategory.ProtocolError,
                $"{response.Uri} answered HTTP {response.StatusCode} with a body that is not FHIR JSON"
                + $" ({response.ContentType ?? "no content type"}). Use -Raw to see it as text.",
                response.Uri) { StatusCode = response.StatusCode };
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            string? type = root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("resourceType", out JsonElement named)
                && named.ValueKind == JsonValueKind.String
                    ? named.GetString()
                    : null;
            if (type is null || !ModelInfo.IsKnownResource(type))
            {
                // JSON that is not a FHIR resource (some servers answer operations so): pass it on as it came.
                return new FhirResult(response.Body, null, [], null, null);
            }

            return type == "Bundle"
                ? new FhirResult(response.Body, type, Entries(root), NextLink(root, response.Uri), Total(root))
                : new FhirResult(response.Body, type, [], null, null);
        }
    }

    private static string[] Entries(JsonElement bundle)
        => bundle.TryGetProperty("entry", out JsonElement entries) && entries.ValueKind == JsonValueKind.Array
            ? entries.EnumerateArray()
                .Where(e => e.ValueKind == JsonValueKind.Object
                    && e.TryGetProperty("resource", out JsonElement r)
                    && r.ValueKind == JsonValueKind.Object)
                .Select(e => e.GetProperty("resource").GetRawText())
                .ToArray()
            : [];

    // The link whose relation is "next"; a relative URL is taken against the page that named it.
    private static Uri? NextLink(JsonElement bundle, Uri page)
    {
        if (!bundle.TryGetProperty("link", out JsonElement links) || links.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (JsonElement link in links.EnumerateArray())
        {
            if (link.ValueKind == JsonValueKind.Object
                && link.TryGetProperty("relation", out JsonElement relation)
                && relation.ValueKind == JsonValueKind.String
                && relation.GetString() == "next"
                && link.TryGetProperty("url", out JsonElement url)
                && url.ValueKind == JsonValueKind.String
                && Uri.TryCreate(url.GetString(), UriKind.RelativeOrAbsolute, out Uri? next))
            {
                return next.IsAbsoluteUri ? next : new Uri(page, next);
            }
        }

        return null;
    }

    private static int? Total(JsonElement bundle)
        => bundle.TryGetProperty("total", out JsonElement total) && total.TryGetInt32(out int count) && count >= 0
            ? count
            : null;
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace FhirSecurity.TestServer;

/// <summary>The FHIR REST interactions under one base, after authentication: metadata and Patient CRUD + search.</summary>
internal sealed class FhirApi(ServerState state)
{
    private readonly BulkExportApi _bulk = new(state);

    public async Task HandleAsync(HttpContext context, FhirBase fhirBase, string origin, string tokenEndpoint, string relativePath)
    {
        var baseUrl = origin + fhirBase.Path;
        var method = context.Request.Method;
        var segments = relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (segments)
        {
            case ["$export"] or ["Patient", "$export"] when HttpMethods.IsGet(method):
                await _bulk.KickoffAsync(context, baseUrl, origin, groupId: null);
                return;
            case ["Group", var groupId, "$export"] when HttpMethods.IsGet(method):
                await _bulk.KickoffAsync(context, baseUrl, origin, groupId);
                return;
            case ["_bulk", "status", var job] when HttpMethods.IsGet(method) || HttpMethods.IsDelete(method):
                await _bulk.StatusAsync(context, job);
                return;
            case ["metadata"] when HttpMethods.IsGet(method):
                await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, CapabilityStatementBuilder.Build(fhirBase, baseUrl, tokenEndpoint, state.Time.GetUtcNow()));
                return;
            case ["Patient"] when HttpMethods.IsGet(method):
                await PatientSearch.HandleAsync(context, state, baseUrl);
                return;
            case ["Patient"] when HttpMethods.IsPost(method):
                await CreateAsync(context, baseUrl);
                return;
            case ["Patient", var id] when HttpMethods.IsGet(method):
                await ReadAsync(context, baseUrl, id);
                return;
            case ["Patient", var id] when HttpMethods.IsPut(method):
                await UpdateAsync(context, baseUrl, id);
                return;
            case ["Patient", var id] when HttpMethods.IsDelete(method):
                state.Patients.Delete(id);
                // Delete is idempotent: deleting twice, or something never there, is still a success.
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            case ["metadata"] or ["Patient"] or ["Patient", _]:
                await JsonResponses.WriteOutcomeAsync(context, StatusCodes.Status405MethodNotAllowed, "not-supported", $"{method} is not supported on {relativePath}.");
                return;
            default:
                await JsonResponses.WriteOutcomeAsync(context, StatusCodes.Status404NotFound, "not-supported", $"Unknown path '{relativePath}'. This server knows metadata and Patient.");
                return;
        }
    }

    private async Task ReadAsync(HttpContext context, string baseUrl, string id)
    {
        var patient = state.Patients.Get(id, out var deleted);
        if (patient is null)
        {
            await (deleted
                ? JsonResponses.WriteOutcomeAsync(context, StatusCodes.Status410Gone, "deleted", $"Patient/{id} was deleted.")
                : JsonResponses.WriteOutcomeAsync(context, StatusCodes.Status404NotFound, "not-found", $"Patient/{id} is not known."));
            return;
        }

        await WriteResourceAsync(context, StatusCodes.Status200OK, baseUrl, patient, withLocation: false);
    }

    private async Task CreateAsync(HttpContext context, string baseUrl)
    {
        var resource = await ReadPatientAsync(context);
        if (resource is null)
        {
            return;
        }

        // On create the server assigns the id; one sent by the client is ignored (FHIR R4 3.1.0.8).
        var created = state.Patients.Create(resource);
        state.Counters.CountCreate();
        await WriteResourceAsync(context, StatusCodes.Status201Created, baseUrl, created, withLocation: true);
    }

    private async Task UpdateAsync(HttpContext context, string baseUrl, string id)
    {
        var resource = await ReadPatientAsync(context);
        if (resource is null)
        {
            return;
        }

        var bodyId = resource["id"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (bodyId != id)
        {
            // FHIR R4 3.1.0.4: a missing id, or one that differs from the URL, is a 400.
            await JsonResponses.WriteOutcomeAsync(context, StatusCodes.Status400BadRequest, "invalid", $"The resource id must be present and equal '{id}'.");
            return;
        }

        var (patient, created) = state.Patients.Upsert(id, resource);
        if (created)
        {
            state.Counters.CountCreate();
        }

        await WriteResourceAsync(context, created ? StatusCodes.Status201Created : StatusCodes.Status200OK, baseUrl, patient, withLocation: created);
    }

    /// <summary>Reads and checks a Patient body; on failure writes the error and returns null.</summary>
    private static async Task<JsonObject?> ReadPatientAsync(HttpContext context)
    {
        var mediaType = MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var parsed) ? parsed.MediaType.Value : null;
        if (mediaType is not ("application/fhir+json" or "application/json"))
        {
            await JsonResponses.WriteOutcomeAsync(context, StatusCodes.Status415UnsupportedMediaType, "not-supported", "Send application/fhir+json.");
            return null;
        }

        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException e)
        {
            await JsonResponses.WriteOutcomeAsync(context, StatusCodes.Status400BadRequest, "structure", $"The body is not valid JSON: {e.Message}");
            return null;
        }

        if (node is not JsonObject resource || resource["resourceType"]?.GetValueKind() != JsonValueKind.String || resource["resourceType"]!.GetValue<string>() != "Patient")
        {
            await JsonResponses.WriteOutcomeAsync(context, StatusCodes.Status400BadRequest, "invalid", "The body must be a Patient resource (resourceType \"Patient\").");
            return null;
        }

        if (PatientValidator.Problem(resource) is { } problem)
        {
            await JsonResponses.WriteOutcomeAsync(context, StatusCodes.Status422UnprocessableEntity, "value", problem);
            return null;
        }

        return resource;
    }

    private static async Task WriteResourceAsync(HttpContext context, int status, string baseUrl, StoredPatient patient, bool withLocation)
    {
        var version = patient.VersionId.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.ETag = $"W/\"{version}\"";
        context.Response.Headers.LastModified = patient.LastUpdated.ToString("R", CultureInfo.InvariantCulture);
        if (withLocation)
        {
            context.Response.Headers.Location = $"{baseUrl}Patient/{patient.Id}/_history/{version}";
        }

        context.Response.StatusCode = status;
        if (context.Request.Headers["Prefer"].ToString().Contains("return=minimal", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        context.Response.ContentType = JsonResponses.FhirJson;
        await context.Response.WriteAsync(patient.Json, context.RequestAborted);
    }
}

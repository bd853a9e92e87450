using System.Text;
using Microsoft.AspNetCore.Http;

namespace FhirSecurity.TestServer;

/// <summary>
/// <c>/floor/fhir/</c>: the cost floor for per-call benchmarks. Every GET answers the same Patient, its bytes made
/// once, with no Firely, store, counters, auth check or logging on the server side, so a client's time per call is
/// the client's own plus the transport. The Patient (about 600 bytes) is a little richer than the store's.
/// </summary>
internal static class FloorEndpoint
{
    public const string Path = "/floor/fhir/";

    private static readonly byte[] Patient = Encoding.UTF8.GetBytes(
        "{\"resourceType\":\"Patient\",\"id\":\"pat-0001\",\"meta\":{\"versionId\":\"1\",\"lastUpdated\":\"2026-01-01T00:00:00Z\"},"
        + "\"identifier\":[{\"system\":\"urn:oid:2.16.840.1.113883.2.4.6.3\",\"value\":\"900000001\"}],\"active\":true,"
        + "\"name\":[{\"use\":\"official\",\"family\":\"Smith\",\"given\":[\"Alice\"]}],\"telecom\":[{\"system\":\"phone\","
        + "\"value\":\"+31 20 555 0001\",\"use\":\"home\"}],\"gender\":\"female\",\"birthDate\":\"1950-01-15\",\"address\":[{"
        + "\"line\":[\"Keizersgracht 1\"],\"city\":\"Amsterdam\",\"postalCode\":\"1015 AA\",\"country\":\"NL\"}]}");

    public static Task HandleAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/fhir+json; charset=utf-8";
        context.Response.ContentLength = Patient.Length;
        return context.Response.Body.WriteAsync(Patient, context.RequestAborted).AsTask();
    }
}

using System.Text.Json.Nodes;

namespace FhirSecurity.TestServer;

/// <summary>The CapabilityStatement each base returns from <c>GET metadata</c>.</summary>
internal static class CapabilityStatementBuilder
{
    public static JsonObject Build(FhirBase fhirBase, string baseUrl, string tokenEndpoint, DateTimeOffset now)
    {
        var rest = new JsonObject
        {
            ["mode"] = "server",
            ["resource"] = new JsonArray(new JsonObject
            {
                ["type"] = "Patient",
                ["interaction"] = new JsonArray(
                    new JsonObject { ["code"] = "read" },
                    new JsonObject { ["code"] = "search-type" },
                    new JsonObject { ["code"] = "create" },
                    new JsonObject { ["code"] = "update" },
                    new JsonObject { ["code"] = "delete" }),
                ["updateCreate"] = true,
                ["searchParam"] = new JsonArray(new JsonObject { ["name"] = "name", ["type"] = "string" }),
            }),
        };
        if (fhirBase.Kind == FhirBaseKind.OAuth)
        {
            // The SMART oauth-uris extension, so clients can discover the token endpoint from metadata.
            rest["security"] = new JsonObject
            {
                ["extension"] = new JsonArray(new JsonObject
                {
                    ["url"] = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
                    ["extension"] = new JsonArray(new JsonObject { ["url"] = "token", ["valueUri"] = tokenEndpoint }),
                }),
                ["service"] = new JsonArray(new JsonObject
                {
                    ["coding"] = new JsonArray(new JsonObject
                    {
                        ["system"] = "http://terminology.hl7.org/CodeSystem/restful-security-service",
                        ["code"] = "SMART-on-FHIR",
                    }),
                }),
            };
        }
        else if (fhirBase.Kind == FhirBaseKind.Basic)
        {
            rest["security"] = new JsonObject
            {
                ["service"] = new JsonArray(new JsonObject
                {
                    ["coding"] = new JsonArray(new JsonObject
                    {
                        ["system"] = "http://terminology.hl7.org/CodeSystem/restful-security-service",
                        ["code"] = "Basic",
                    }),
                }),
            };
        }

        return new JsonObject
        {
            ["resourceType"] = "CapabilityStatement",
            ["status"] = "active",
            ["date"] = now.ToString("yyyy-MM-ddTHH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture),
            ["kind"] = "instance",
            ["software"] = new JsonObject { ["name"] = "FhirSecurity.TestServer" },
            ["implementation"] = new JsonObject { ["description"] = $"FhirSecurity test server ({fhirBase.Kind})", ["url"] = baseUrl },
            ["fhirVersion"] = "4.0.1",
            ["format"] = new JsonArray("json"),
            ["rest"] = new JsonArray(rest),
        };
    }

    /// <summary>SMART App Launch discovery (<c>.well-known/smart-configuration</c>) for the OAuth base.</summary>
    public static JsonObject SmartConfiguration(string tokenEndpoint, IEnumerable<string> scopes) => new()
    {
        ["token_endpoint"] = tokenEndpoint,
        ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_basic", "client_secret_post", "private_key_jwt"),
        ["token_endpoint_auth_signing_alg_values_supported"] = new JsonArray("RS384", "ES384"),
        ["grant_types_supported"] = new JsonArray("client_credentials"),
        ["scopes_supported"] = new JsonArray([.. scopes.Distinct().Select(s => (JsonNode?)s)]),
        ["capabilities"] = new JsonArray("client-confidential-symmetric", "client-confidential-asymmetric"),
    };
}

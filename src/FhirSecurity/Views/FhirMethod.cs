namespace FhirSecurity;

/// <summary>The HTTP methods of the FHIR RESTful API.</summary>
public enum FhirMethod
{
    /// <summary>read, vread, search, history, capabilities.</summary>
    GET,

    /// <summary>create, search by POST, operations, batch/transaction.</summary>
    POST,

    /// <summary>update (and create with a client-chosen id).</summary>
    PUT,

    /// <summary>patch (JSON Patch or FHIRPath Patch).</summary>
    PATCH,

    /// <summary>delete.</summary>
    DELETE,

    /// <summary>Like GET, without the body.</summary>
    HEAD,
}

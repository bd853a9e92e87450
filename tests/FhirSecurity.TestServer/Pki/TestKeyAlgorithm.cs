namespace FhirSecurity.TestServer;

/// <summary>Key type for generated certificates.</summary>
public enum TestKeyAlgorithm
{
    /// <summary>ECDSA on NIST P-256, signed with SHA-256.</summary>
    EcdsaP256,

    /// <summary>RSA 2048, PKCS#1 v1.5 signatures with SHA-256.</summary>
    Rsa2048,
}

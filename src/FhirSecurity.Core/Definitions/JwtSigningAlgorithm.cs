namespace FhirSecurity.Core.Definitions;

/// <summary>The JWS algorithms a client assertion can be signed with: the two SMART Backend Services names.</summary>
public enum JwtSigningAlgorithm
{
    /// <summary>RSASSA-PKCS1-v1_5 with SHA-384 (RFC 7518 3.3); an RSA key of at least 2048 bits.</summary>
    RS384,

    /// <summary>ECDSA on P-384 with SHA-384 (RFC 7518 3.4); an EC key on the P-384 curve.</summary>
    ES384,
}

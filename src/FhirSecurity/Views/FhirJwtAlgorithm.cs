namespace FhirSecurity;

/// <summary>The algorithm a private_key_jwt client assertion is signed with.</summary>
public enum FhirJwtAlgorithm
{
    /// <summary>RSASSA-PKCS1-v1_5 with SHA-384: an RSA key of 2048 bits or more.</summary>
    RS384,

    /// <summary>ECDSA on P-384 with SHA-384: an EC P-384 key.</summary>
    ES384,
}

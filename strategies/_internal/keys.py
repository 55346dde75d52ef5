"""A fixed, valid OpenSSH RSA public key for ImportKeyPair (its private half was discarded)."""

PUBLIC_KEY_OPENSSH = (
    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCweKQxqWMq1JUN8bmiZHrb6QHMIcK/sQbnLEEEgRQf"
    "pDIPnf+rE9aIDj29lha+CrjLDSZQZkbVcLPvKxgrwInJHINuR4gZuvyEsnf5renahQvQypNIQE4DYtke"
    "hGi+OEcUjzcTRFDlPoXZl1YvPs8RjtLTtUSnLBfNs9kND7g6JFzYbtpJvnkgvND7oTxak9UK22AF8oxj"
    "oMAPrRDykxrKddR3fCuymcrpL5K8W4GEF7PjU/7+IRSd8FQxjr+T/gQTPW/hnpDewMuykEsirJuFJtBD"
    "3q/CTrfe3k0a1U4dFh5CJj8swdSgzX9AwCjG8f22AwEgxxET6OWN6fdHlTS3"
    " ec2-conformance"
)

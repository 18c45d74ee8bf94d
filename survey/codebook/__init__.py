"""The codebook: what every variable of a questionnaire means, in every language and format."""

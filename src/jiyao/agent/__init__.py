"""The agent: the model endpoint, prompts, questions, evidence and the fusion of rules and model."""

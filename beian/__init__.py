"""Beian: ICP filing management for hosting providers."""

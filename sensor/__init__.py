"""sensor"""
